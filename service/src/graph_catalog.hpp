#pragma once

#include "service_metrics.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_registry.hpp>
#include <logic_graph/service/router.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace spdlog {
class logger;
}

namespace lg::service::detail {

/// One graph as served: its file's text, its definition and the executor built from it. A
/// request holds it by shared_ptr, so a reload never pulls it away mid-execution.
struct LoadedGraph {
  std::string name;  ///< the file name without its extension
  std::string file;
  std::string text;             ///< the file's content, to see whether a reload changed it
  GraphDef def;                 ///< what GET /v1/graphs/{name} shows
  std::string definition_json;  ///< def.to_json(), dumped once
  std::unique_ptr<Executor> executor;
  std::shared_ptr<GraphMetrics> metrics;
  std::chrono::system_clock::time_point loaded_at;
};

/// The graphs of a folder, each built once on the shared runtime; reloads swap versions.
class GraphCatalog {
 public:
  /// `base` holds what every executor gets (runtime, deadline, memory budget).
  GraphCatalog(std::filesystem::path dir, NodeRegistry registry, ExecutorOptions base,
               ServiceMetrics& metrics, std::shared_ptr<spdlog::logger> logger);

  /// Reads the folder again (see Router::reload()); one reload at a time.
  ReloadReport reload();
  /// The graph named `name`, or null.
  [[nodiscard]] std::shared_ptr<const LoadedGraph> find(std::string_view name) const;
  /// Every graph, by name.
  [[nodiscard]] std::vector<std::shared_ptr<const LoadedGraph>> all() const;
  [[nodiscard]] std::uint64_t generation() const noexcept;

 private:
  using Graphs = std::map<std::string, std::shared_ptr<const LoadedGraph>, std::less<>>;

  // The new version of one file, or null (its problems added to `report`).
  std::shared_ptr<const LoadedGraph> load(const std::filesystem::path& file, std::string text,
                                          ReloadReport& report) const;

  std::filesystem::path dir_;
  NodeRegistry registry_;
  ExecutorOptions base_;
  ServiceMetrics& metrics_;
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex reload_mutex_;
  mutable std::mutex graphs_mutex_;  // guards the pointer only: readers copy it and go
  std::shared_ptr<const Graphs> graphs_;
  std::uint64_t generation_ = 0;  // under graphs_mutex_
};

}  // namespace lg::service::detail
