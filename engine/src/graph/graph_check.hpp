#pragma once

#include <logic_graph/engine/graph/graph_error.hpp>
#include "graph/graph_where.hpp"

#include <vector>

namespace lg {
class GraphDef;
}

namespace lg::detail {

/// The structural checks shared by from_json() and validate(): empty and duplicate ids, edge
/// ends that are empty or name no node, self-loops, duplicate edges and cycles. Appends one
/// Diagnostic per problem to `out`. Linear time; no recursion, whatever the graph's depth.
void check_structure(const GraphDef& graph, const GraphLocations& where,
                     std::vector<Diagnostic>& out);

}  // namespace lg::detail
