#pragma once

#include <logic_graph/engine/graph/graph_error.hpp>
#include "graph/graph_where.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace lg {
class GraphDef;
}

namespace lg::detail {

/// Reads the JSON shape of a graph, native or rust-logic-graph's (nodes keyed by id, or listed
/// with `node_type` or a crate type; `dependencies` made edges; the crate's nodes translated by
/// translate_rust_nodes()), into a GraphDef. Appends a Diagnostic for each unknown top-level key
/// and each malformed entry and leaves that entry out (a node with a usable id but a bad type is
/// kept, so that edges to it are not reported too). Fills `where` with the source position of
/// every entry kept. Cross-entry checks are check_structure()'s job.
GraphDef read_graph(const nlohmann::json& json, GraphLocations& where,
                    std::vector<Diagnostic>& out);

/// The native type name for a rust-logic-graph node type before its fields are translated:
/// `RuleNode` -> `rule`, `DBNode` -> `db`, `AINode` -> `ai`, `GrpcNode` -> `grpc`,
/// `ConditionalNode` -> `rule`, `TryCatchNode` -> `try`, `CircuitBreakerNode` ->
/// `circuit_breaker`; others lowercased without a trailing `Node` (`RetryNode` -> `retry`,
/// `SubgraphNode` -> `subgraph`, `LoopNode` -> `loop`, `DB` -> `db`). translate_rust_nodes()
/// then makes a `db` node `sqlite` or `postgres`, an `ai` node `llm`.
std::string native_type_name(std::string_view rust_type);

/// `, got TYPE`: ends a message about a value of the wrong type (for each reader's messages).
std::string got(const nlohmann::json& value);
/// `: field 'NAME'`: follows a place to name a field of it.
std::string field(std::string_view name);

}  // namespace lg::detail
