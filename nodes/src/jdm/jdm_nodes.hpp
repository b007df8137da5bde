#pragma once

#include <logic_graph/engine/node/node_registry.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>

// The node types of GoRules ZEN's JSON Decision Model, each beside its node. The JDM reader
// (engine/src/graph/jdm_reader.cpp) gives each node its JDM kind as type.
namespace lg::jdm {

/// Registers a JDM node type; a config of the wrong shape that its constructor reads with
/// nlohmann's checked access (one written by hand in the native form, say) is a ConfigError.
template <class Make>
void add_node(NodeRegistry& registry, std::string type, Make make) {
  registry.add(std::move(type),
               NodeFactory([make](const NodeBuild& build) -> std::unique_ptr<Node> {
                 try {
                   return make(build);
                 } catch (const nlohmann::json::exception& e) {
                   throw ConfigError("", std::string("a malformed JDM node: ") + e.what());
                 }
               }));
}

void register_flow_nodes(NodeRegistry& registry);  // inputNode, outputNode, switchNode
void register_expression_node(NodeRegistry& registry);
void register_table_node(NodeRegistry& registry);
void register_result_node(NodeRegistry& registry);
void register_decision_node(NodeRegistry& registry);
void register_unsupported_nodes(NodeRegistry& registry);  // functionNode, customNode

/// All of them.
inline void register_jdm_nodes(NodeRegistry& registry) {
  register_flow_nodes(registry);
  register_expression_node(registry);
  register_table_node(registry);
  register_result_node(registry);
  register_decision_node(registry);
  register_unsupported_nodes(registry);
}

}  // namespace lg::jdm
