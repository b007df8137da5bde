#include <logic_graph/nodes/builtin_nodes.hpp>

#include "jdm/jdm_nodes.hpp"
#include "registration.hpp"

namespace lg {

void register_builtin_nodes(NodeRegistry& registry) {
  detail::register_rule_node(registry);
  detail::register_compute_node(registry);
  detail::register_delay_node(registry);
  detail::register_switch_node(registry);
  detail::register_decision_table_node(registry);
  detail::register_retry_node(registry);
  detail::register_try_node(registry);
  detail::register_timeout_node(registry);
  detail::register_circuit_breaker_node(registry);
  detail::register_cache_node(registry);
  detail::register_subgraph_node(registry);
  detail::register_foreach_node(registry);
  detail::register_loop_node(registry);
  detail::register_scripted_node(registry);
  detail::register_sqlite_node(registry);
  detail::register_http_node(registry);
  detail::register_llm_node(registry);
  detail::register_postgres_node(registry);
  jdm::register_jdm_nodes(registry);
  // Shorthand on any node, outermost first: a cache hit skips everything; an open circuit
  // skips the retries; each attempt has its own time limit.
  registry.add_wrapper_field("cache", "cache")
      .add_wrapper_field("circuit_breaker", "circuit_breaker")
      .add_wrapper_field("retry", "retry")
      .add_wrapper_field("timeout_ms", "timeout", "ms");
}

NodeRegistry builtin_nodes() {
  NodeRegistry registry;
  register_builtin_nodes(registry);
  return registry;
}

}  // namespace lg
