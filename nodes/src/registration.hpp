#pragma once

#include <logic_graph/engine/node/node_registry.hpp>

// One registration function per built-in node type, each defined beside its node.
namespace lg::detail {

void register_rule_node(NodeRegistry& registry);
void register_compute_node(NodeRegistry& registry);
void register_delay_node(NodeRegistry& registry);
void register_switch_node(NodeRegistry& registry);
void register_decision_table_node(NodeRegistry& registry);
void register_retry_node(NodeRegistry& registry);
void register_try_node(NodeRegistry& registry);
void register_timeout_node(NodeRegistry& registry);
void register_circuit_breaker_node(NodeRegistry& registry);
void register_cache_node(NodeRegistry& registry);
void register_subgraph_node(NodeRegistry& registry);
void register_foreach_node(NodeRegistry& registry);
void register_loop_node(NodeRegistry& registry);
void register_scripted_node(NodeRegistry& registry);
void register_sqlite_node(NodeRegistry& registry);
void register_http_node(NodeRegistry& registry);
void register_llm_node(NodeRegistry& registry);
void register_postgres_node(NodeRegistry& registry);

}  // namespace lg::detail
