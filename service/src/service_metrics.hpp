#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/observers/observer.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lg::service::detail {

/// The upper bounds of the latency histogram's buckets, in seconds (then +Inf).
inline constexpr std::array<double, 16> latency_bounds_seconds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0,  10.0};

/// Execution latencies in buckets; lock-free.
class LatencyHistogram {
 public:
  void observe(std::chrono::nanoseconds duration) noexcept;
  /// Counts per bucket (not cumulative), +Inf last.
  [[nodiscard]] std::array<std::uint64_t, latency_bounds_seconds.size() + 1> buckets()
      const noexcept;
  [[nodiscard]] std::uint64_t sum_nanoseconds() const noexcept {
    return sum_ns_.load(std::memory_order_relaxed);
  }

 private:
  std::array<std::atomic<std::uint64_t>, latency_bounds_seconds.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_ns_{0};
};

/// Objects by name, each made on first use and kept: figures that outlive reloads.
template <class T>
class NamedFigures {
 public:
  /// The object of `name`, made on first use.
  [[nodiscard]] std::shared_ptr<T> get(const std::string& name) {
    const std::scoped_lock lock(mutex_);
    auto& object = objects_[name];
    if (!object) {
      object = std::make_shared<T>();
    }
    return object;
  }
  /// Every object, by name.
  [[nodiscard]] std::vector<std::pair<std::string, std::shared_ptr<const T>>> all() const {
    const std::scoped_lock lock(mutex_);
    return {objects_.begin(), objects_.end()};
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<T>> objects_;
};

/// One node's runs in one graph, kept across reloads.
struct NodeCounters {
  std::atomic<std::uint64_t> runs{0};
  std::atomic<std::uint64_t> failures{0};
  std::atomic<std::uint64_t> nanoseconds{0};
};

/// One graph's figures, kept across reloads.
class GraphMetrics {
 public:
  std::atomic<std::uint64_t> executions{0};
  std::atomic<std::uint64_t> failed{0};
  LatencyHistogram latency;

  /// The counters of each node, by id.
  NamedFigures<NodeCounters> nodes;
};

/// Why a request was refused without running (the `reason` label).
enum class Rejection : std::uint8_t { max_inflight, memory_budget, shutting_down, max_connections };
inline constexpr std::array<std::string_view, 4> rejection_names = {
    "max_inflight", "memory_budget", "shutting_down", "max_connections"};

/// The service's figures: per graph, rejections; /metrics prints them with the runtime's.
class ServiceMetrics {
 public:
  /// Each graph's figures, by name.
  NamedFigures<GraphMetrics> graphs;

  void reject(Rejection reason) noexcept {
    rejections_[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t rejections(Rejection reason) const noexcept {
    return rejections_[static_cast<std::size_t>(reason)].load(std::memory_order_relaxed);
  }

 private:
  std::array<std::atomic<std::uint64_t>, rejection_names.size()> rejections_{};
};

/// Counts the node runs of one graph's executor into its GraphMetrics. The node set is fixed
/// when the executor is built, so looking a node up takes no lock.
class NodeMetricsObserver final : public ExecutionObserver {
 public:
  NodeMetricsObserver(GraphMetrics& metrics, const GraphDef& graph);
  void on_node_end(const NodeEvent& event) override;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::shared_ptr<NodeCounters>, Hash, std::equal_to<>> nodes_;
};

}  // namespace lg::service::detail
