#pragma once

#include <logic_graph/engine/node/node_registry.hpp>

// One registration function per built-in node type, each defined beside its node.
namespace lg::detail {

void register_rule_node(NodeRegistry& registry);
void register_compute_node(NodeRegistry& registry);
void register_delay_node(NodeRegistry& registry);

}  // namespace lg::detail
