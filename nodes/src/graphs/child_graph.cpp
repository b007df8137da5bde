#include "graphs/child_graph.hpp"

#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_error.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace lg::detail {
namespace {

// The graph files being compiled on this thread, outermost first: a file that appears twice
// includes itself. (A graph is built on one thread, its children inside its build.)
thread_local std::vector<std::string> files_open;
// How many child graphs, inline or from files, are being compiled on this thread, one inside the
// other. Each level is a build inside the build, on the stack: bounded, so that a long chain of
// files (each within the JSON nesting limit) cannot exhaust it.
thread_local std::size_t children_open = 0;
constexpr std::size_t max_child_depth = 64;

class ChildOpen {
 public:
  explicit ChildOpen(std::string_view field) {
    if (children_open == max_child_depth) {
      throw ConfigError(std::string(field), "child graphs nested deeper than " +
                                                std::to_string(max_child_depth) + " levels");
    }
    ++children_open;
  }
  ~ChildOpen() { --children_open; }
  ChildOpen(const ChildOpen&) = delete;
  ChildOpen& operator=(const ChildOpen&) = delete;
};

class FileOpen {
 public:
  explicit FileOpen(std::string file) { files_open.push_back(std::move(file)); }
  ~FileOpen() { files_open.pop_back(); }
  FileOpen(const FileOpen&) = delete;
  FileOpen& operator=(const FileOpen&) = delete;
};

std::string normal(const std::filesystem::path& file) {
  std::error_code error;
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(file, error);
  return (error ? file.lexically_normal() : canonical).string();
}

}  // namespace

std::shared_ptr<Executor> child_graph(const NodeBuild& build) {
  const NodeDef& def = build.def();
  const bool inline_graph = def.config.contains("graph");
  if (inline_graph == def.config.contains("file")) {
    throw ConfigError("graph", "give either 'graph' (a definition) or 'file' (a graph file)");
  }
  const ChildOpen child(inline_graph ? "graph" : "file");
  if (inline_graph) {
    return build.compile(
        GraphDef::from_json(config::required_object(def, "graph"), def.id + ".graph"), "graph");
  }
  const std::string name = config::required_string(def, "file");
  std::filesystem::path file(name);
  if (file.is_relative() && build.graph() != nullptr) {
    file = std::filesystem::path(build.graph()->source).parent_path() / file;
  }
  const std::string key = normal(file);
  if (std::find(files_open.begin(), files_open.end(), key) != files_open.end()) {
    std::string chain;
    for (auto it = std::find(files_open.begin(), files_open.end(), key); it != files_open.end();
         ++it) {
      chain += *it + " -> ";
    }
    throw ConfigError("file", "the graph includes itself: " + chain + key);
  }
  const FileOpen open(key);
  GraphDef graph;
  try {
    graph = GraphDef::load(file);
  } catch (const GraphError& e) {
    throw ConfigError("file", e.what());
  }
  return build.compile(graph, "file");
}

NodeError child_failure(const std::exception_ptr& error, const std::string& parent) {
  try {
    std::rethrow_exception(error);
  } catch (const ExecutionError& e) {
    const NodeError as_node = to_node_error(error, parent);
    if (e.node_id().empty()) {
      return NodeError(as_node.kind(), parent, std::string("child graph: ") + e.what(), error);
    }
    // "node 'child' failed: why" -> "node 'parent/child' failed: why"; a child that is a graph
    // node itself already named the path below it ("node 'child/grandchild' failed: why").
    std::string child = e.node_id();
    std::string why = e.what();
    try {
      if (e.cause()) {
        std::rethrow_exception(e.cause());
      }
    } catch (const NodeError& cause) {
      // (`child[3]/...`: an item of a foreach, an iteration of a loop)
      const std::string& below = cause.node_id();
      if (below.rfind(child + "/", 0) == 0 || below.rfind(child + "[", 0) == 0) {
        child = cause.node_id();
        why = cause.what();
      }
    } catch (...) {
    }
    const std::string prefix = "node '" + child + "' ";
    if (why.rfind(prefix, 0) == 0) {
      why.erase(0, prefix.size());
    }
    const std::string path = parent + "/" + child;
    return NodeError(as_node.kind(), path, "node '" + path + "' " + why, error);
  } catch (...) {
    return to_node_error(std::current_exception(), parent);
  }
}

std::vector<KeyedExpression> keyed_expressions(const NodeDef& def, std::string_view field) {
  std::vector<KeyedExpression> keyed;
  if (def.config.contains(field)) {
    for (const auto& [key, text] : config::required_object(def, field).items()) {
      keyed.push_back({key, config::expression_value(text, std::string(field) + "." + key)});
    }
  }
  return keyed;
}

}  // namespace lg::detail
