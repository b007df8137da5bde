#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/graph/graph_error.hpp>
#include "graph/graph_where.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Edits of a rust-logic-graph node's fields into native ones, each reporting a field it cannot
// take as a Diagnostic that names the node and the field (see rust_nodes.hpp).
namespace lg::detail {

/// Where the edits report: each node's place (taken when made, as nodes may move later) and
/// the list of diagnostics.
class FieldReports {
 public:
  FieldReports(const GraphDef& graph, const GraphLocations& where, std::vector<Diagnostic>& out);

  /// Appends `message` about field `field` of the node `node_id`.
  void add(std::string_view node_id, std::string_view field, std::string message) const;

 private:
  std::map<std::string, std::string, std::less<>> places_;  // node id -> `source: place`
  std::vector<Diagnostic>& out_;
};

/// True when `text` can be a name in an expression (letters, digits, '_', not starting with a
/// digit, not a keyword): a context key read as it is.
bool is_name(std::string_view text);

/// The expression that reads the context key by key along `dotted` (`a.b` -> `a.b`; a part
/// that is not a name in brackets: `a.sum(x)` -> `a["sum(x)"]`), as rust-logic-graph's case
/// study reads its paths; nothing when the first part is not a name or a part is empty.
std::optional<std::string> key_path_expression(std::string_view dotted);

/// The field's value, a node id, taken out of the config; nothing (after reporting) when it is
/// not a non-empty string, nothing when it is absent.
std::optional<std::string> take_id_field(NodeDef& node, std::string_view field,
                                         const FieldReports& reports);

/// A non-negative integer field up to `max`; nothing when absent or bad (then reported).
std::optional<std::int64_t> count_field(const NodeDef& node, std::string_view field,
                                        std::int64_t max, const FieldReports& reports);

/// The crate's field `from` under its native name `to`, else `fallback` when neither is set.
void rename_field(NodeDef& node, std::string_view from, std::string_view to,
                  const std::optional<nlohmann::json>& fallback, const FieldReports& reports);

/// The object field `from` of key -> key turned round into the native `to`, key -> expression
/// (a key is a path).
void reverse_mapping(NodeDef& node, std::string_view from, std::string_view to,
                     const FieldReports& reports);

}  // namespace lg::detail
