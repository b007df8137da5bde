#pragma once

#include <logic_graph/engine/graph/graph_error.hpp>
#include "graph/graph_where.hpp"

#include <vector>

namespace lg {
class GraphDef;
}

namespace lg::detail {

/// Turns rust-logic-graph's RetryNode, CircuitBreakerNode, TryCatchNode, SubgraphNode, LoopNode
/// and ConditionalNode, as read_graph() keeps them (the crate's fields as config, `rust_type`
/// set), into configs of the native `retry`, `circuit_breaker`, `try`, `subgraph`, `loop` or
/// `foreach` and `rule`: fields renamed, a node named by id (`target_node_id`, ...) moved inside
/// its wrapper with its edges passed to the wrapper, branches made edge conditions. Appends a
/// Diagnostic for each field with no equivalent. Edges are changed in step with `where`.
void translate_rust_nodes(GraphDef& graph, GraphLocations& where, std::vector<Diagnostic>& out);

}  // namespace lg::detail
