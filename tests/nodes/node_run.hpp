#pragma once

// Running built-in nodes in small graphs, for the node tests.

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>
#include "support/execution_failure.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace lg::test {

/// A graph of the one node `node` (a config with `type`) under the id "n".
inline GraphDef one_node_graph(nlohmann::json node) {
  node["id"] = "n";
  return GraphDef::from_json({{"nodes", nlohmann::json::array({std::move(node)})}});
}

/// A graph definition as JSON: `nodes` and `edges`.
inline nlohmann::json graph_of(nlohmann::json nodes,
                               nlohmann::json edges = nlohmann::json::array()) {
  return {{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
}

/// The node config `fields` with its `type` set to `type`.
inline nlohmann::json typed(std::string_view type, nlohmann::json fields) {
  fields["type"] = type;
  return fields;
}

/// The final context, as JSON, of running `graph` on `input` with the built-in nodes.
inline nlohmann::json run_graph(const GraphDef& graph, nlohmann::json input = nullptr) {
  Executor executor{graph, builtin_nodes(), {.threads = 2}};
  return executor.run(std::move(input)).to_json();
}

/// The one node `node`'s result (under the id "n"), on a runtime of its own.
inline nlohmann::json result_of(const nlohmann::json& node, nlohmann::json input = nullptr) {
  return run_graph(one_node_graph(node), std::move(input))["n"];
}

/// The message of the GraphError that building an executor for `graph` throws ("" if none).
inline std::string build_error(const GraphDef& graph, const NodeRegistry& registry) {
  try {
    Executor executor{graph, registry, {.threads = 1}};
  } catch (const GraphError& e) {
    return e.what();
  }
  return "";
}

/// As above, with the built-in nodes; `node` is the one node "n".
inline std::string build_error(nlohmann::json node) {
  return build_error(one_node_graph(std::move(node)), builtin_nodes());
}

/// The message of the execution's failure of the one node `node`, on a runtime of its own.
inline std::string failure_of(const nlohmann::json& node, nlohmann::json input = nullptr) {
  Executor executor{one_node_graph(node), builtin_nodes(), {.threads = 2}};
  return failure_message(executor, std::move(input));
}

}  // namespace lg::test
