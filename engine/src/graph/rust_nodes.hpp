#pragma once

#include <logic_graph/engine/graph/graph_error.hpp>
#include "graph/graph_where.hpp"

#include <vector>

namespace lg {
class GraphDef;
}

namespace lg::detail {

/// Turns the nodes read in rust-logic-graph's shape (`rust_shaped`, by node), as read_graph()
/// keeps them (the crate's fields as config, `rust_type` set), into native configs: RetryNode,
/// CircuitBreakerNode, TryCatchNode, SubgraphNode, LoopNode and ConditionalNode into `retry`,
/// `circuit_breaker`, `try`, `subgraph`, `loop` or `foreach` and `rule` (fields renamed, a node
/// named by id (`target_node_id`, ...) moved inside its wrapper with its edges passed to the
/// wrapper, branches made edge conditions); RuleNode, DBNode and AINode as rust_data_nodes.hpp
/// says. Appends a Diagnostic for each field with no equivalent. Edges are changed in step with
/// `where`.
void translate_rust_nodes(GraphDef& graph, GraphLocations& where,
                          const std::vector<bool>& rust_shaped, std::vector<Diagnostic>& out);

}  // namespace lg::detail
