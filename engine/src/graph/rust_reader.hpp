#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/graph/graph_error.hpp>
#include "graph/graph_where.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Nodes in rust-logic-graph's shape, as its core loader (src/core/graph.rs: `node_type`), its
// case studies' YAML loader (`type`, `dependencies`, per-node fields) and its examples write
// them: read into NodeDefs whose config holds the crate's fields and `rust_type`, for
// translate_rust_nodes() to turn into native configs.
namespace lg::detail {

/// What a node of the crate's is, by the names its files use for it.
enum class RustKind : std::uint8_t {
  other,  // a native type named in the crate's shape: its fields pass as they are
  rule,
  db,
  ai,
  grpc,
  subgraph,
  retry,
  circuit_breaker,
  try_catch,
  loop,
  conditional,
};

/// The kind of a crate type name: `RuleNode` (also `Rule`, `rule`), `DBNode` (`DB`, `db`),
/// `AINode` (`AI`, `ai`), `GrpcNode` (`Grpc`, `grpc`), `SubgraphNode` (`subgraph`), and the
/// control nodes by their crate names only (`RetryNode`, ...); `other` for the rest.
[[nodiscard]] RustKind rust_kind(std::string_view type);

/// True when a listed node's `type` names a crate type rather than a native one (a crate name
/// such as `DBNode`, or `db`, `ai`): the node is read in the crate's shape.
[[nodiscard]] bool is_rust_type_name(std::string_view type);

/// Reads a node in the crate's shape into `node` (its id already set): the type from
/// `node_type` or `type`, or `value` itself when it is a string (`id: RuleNode`); every other
/// field (and each of a `config` object, the shape of the crate's distributed example) into
/// the config, with `rust_type`; nulls dropped (serde's None). `keyed`: the id is the node's key
/// in `nodes`, so an `id` field is refused. Problems are reported at `at` (the node's place).
void read_rust_fields(const nlohmann::json& value, bool keyed, const std::string& at, NodeDef& node,
                      std::vector<Diagnostic>& out);

/// Turns every node's `dependencies` (a list of node ids, the crate's case studies' YAML) into
/// edges from each to the node, unless `edges` has that edge already (those files list both);
/// reports ids that name no node, the node itself or an id twice, at the field.
void dependencies_to_edges(GraphDef& graph, GraphLocations& where, std::vector<Diagnostic>& out);

}  // namespace lg::detail
