#pragma once

#include "graph/graph_where.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/graph/graph_error.hpp>

#include <nlohmann/json.hpp>

#include <vector>

// GoRules ZEN's JSON Decision Model (JDM) read into a GraphDef: each JDM node becomes a node of
// the JDM node type of its kind (`expressionNode`, ...: nodes/src/jdm), each JDM edge an edge
// (a switch's branches conditional on the statements that held), and a last node, `jdm:result`,
// after all the others, assembles ZEN's result. The execution's input is the input node's, as
// one value (GraphDef::input_key).
namespace lg::detail {

/// The key the whole input is stored under, and the id of the node that gives the result.
inline constexpr const char* jdm_input_key = "jdm:input";
inline constexpr const char* jdm_result_id = "jdm:result";

/// True when `json` is a JDM document: nodes of ZEN's kinds, edges with `sourceId`.
[[nodiscard]] bool is_jdm(const nlohmann::json& json);

/// The JDM document `json` as a GraphDef; appends every problem to `out`.
[[nodiscard]] GraphDef read_jdm(const nlohmann::json& json, GraphLocations& where,
                                std::vector<Diagnostic>& out);

}  // namespace lg::detail
