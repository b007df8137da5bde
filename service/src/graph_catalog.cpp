#include "graph_catalog.hpp"

#include <logic_graph/engine/graph/graph_error.hpp>

#include <fmt/format.h>
#include <spdlog/logger.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>

namespace lg::service::detail {

namespace fs = std::filesystem;

namespace {

bool is_graph_file(const fs::directory_entry& entry) {
  std::error_code error;
  if (!entry.is_regular_file(error)) {
    return false;
  }
  const std::string extension = entry.path().extension().string();
  return extension == ".json" || extension == ".yaml" || extension == ".yml";
}

// Null when the file cannot be read (it may be mid-replacement: the next event reloads it).
std::optional<std::string> read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    return std::nullopt;
  }
  return text;
}

}  // namespace

GraphCatalog::GraphCatalog(fs::path dir, NodeRegistry registry, ExecutorOptions base,
                           ServiceMetrics& metrics, std::shared_ptr<spdlog::logger> logger)
    : dir_(std::move(dir)),
      registry_(std::move(registry)),
      base_(std::move(base)),
      metrics_(metrics),
      logger_(std::move(logger)),
      graphs_(std::make_shared<const Graphs>()) {}

std::shared_ptr<const LoadedGraph> GraphCatalog::load(const fs::path& file, std::string text,
                                                      ReloadReport& report) const {
  auto graph = std::make_shared<LoadedGraph>();
  graph->name = file.stem().string();
  graph->file = file.string();
  try {
    graph->def = GraphDef::parse(text, graph->file, graph_format_of(file));
    graph->metrics = metrics_.graphs.get(graph->name);
    ExecutorOptions options = base_;
    options.observers.push_back(std::make_shared<NodeMetricsObserver>(*graph->metrics, graph->def));
    graph->executor = std::make_unique<Executor>(graph->def, registry_, std::move(options));
  } catch (const GraphError& error) {
    for (const Diagnostic& diagnostic : error.diagnostics()) {
      report.errors.push_back(diagnostic.to_string());
    }
    return nullptr;
  } catch (const std::exception& error) {
    report.errors.push_back(fmt::format("{}: {}", graph->file, error.what()));
    return nullptr;
  }
  graph->text = std::move(text);
  graph->definition_json =
      graph->def.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  graph->loaded_at = std::chrono::system_clock::now();
  return graph;
}

ReloadReport GraphCatalog::reload() {
  const std::scoped_lock reloading(reload_mutex_);
  std::error_code error;
  fs::directory_iterator entries(dir_, error);
  if (error) {
    throw std::runtime_error(
        fmt::format("{}: cannot read the graphs folder: {}", dir_.string(), error.message()));
  }
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : entries) {
    if (is_graph_file(entry)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());

  const std::shared_ptr<const Graphs> old = [&] {
    const std::scoped_lock lock(graphs_mutex_);
    return graphs_;
  }();
  auto next = std::make_shared<Graphs>();
  ReloadReport report;
  for (const fs::path& file : files) {
    const std::string name = file.stem().string();
    const auto previous = old->find(name);
    const bool had = previous != old->end();
    std::optional<std::string> text = read_text(file);
    if (next->contains(name)) {
      report.errors.push_back(
          fmt::format("{}: another file already gives the graph '{}'", file.string(), name));
      continue;
    }
    if (!text) {
      report.errors.push_back(fmt::format("{}: cannot read", file.string()));
    } else if (had && previous->second->text == *text && previous->second->file == file) {
      next->emplace(name, previous->second);
      continue;
    } else if (auto graph = load(file, std::move(*text), report)) {
      next->emplace(name, std::move(graph));
      report.loaded.push_back(name);
      continue;
    }
    if (had) {
      next->emplace(name, previous->second);  // the old version keeps serving
    }
  }
  for (const auto& [name, graph] : *old) {
    if (!next->contains(name)) {
      report.removed.push_back(name);
    }
  }
  {
    const std::scoped_lock lock(graphs_mutex_);
    graphs_ = std::move(next);
    ++generation_;
  }
  for (const std::string& problem : report.errors) {
    logger_->error("reload: {}", problem);
  }
  logger_->info("reload: {} graphs loaded, {} removed, {} problems", report.loaded.size(),
                report.removed.size(), report.errors.size());
  return report;
}

std::shared_ptr<const LoadedGraph> GraphCatalog::find(std::string_view name) const {
  std::shared_ptr<const Graphs> graphs;
  {
    const std::scoped_lock lock(graphs_mutex_);
    graphs = graphs_;
  }
  const auto found = graphs->find(name);
  return found == graphs->end() ? nullptr : found->second;
}

std::vector<std::shared_ptr<const LoadedGraph>> GraphCatalog::all() const {
  std::shared_ptr<const Graphs> graphs;
  {
    const std::scoped_lock lock(graphs_mutex_);
    graphs = graphs_;
  }
  std::vector<std::shared_ptr<const LoadedGraph>> list;
  list.reserve(graphs->size());
  for (const auto& [name, graph] : *graphs) {
    list.push_back(graph);
  }
  return list;
}

std::uint64_t GraphCatalog::generation() const noexcept {
  const std::scoped_lock lock(graphs_mutex_);
  return generation_;
}

}  // namespace lg::service::detail
