#pragma once

#include <logic_graph/engine/node/node_registry.hpp>

// The node types of GoRules ZEN's JSON Decision Model, each beside its node. The JDM reader
// (engine/src/graph/jdm_reader.cpp) gives each node its JDM kind as type.
namespace lg::jdm {

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
