#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lg {
class GraphDef;
}

namespace lg::detail {

/// Text as it can be shown in one line of a message: control characters escaped, nothing cut.
std::string printable(std::string_view text);
/// printable() text in single quotes: `'price'`.
std::string in_quotes(std::string_view text);

/// The edge_index of an edge made from a node's `dependencies` rather than read from `edges`.
inline constexpr std::size_t from_dependencies = std::numeric_limits<std::size_t>::max();

/// Where each node and edge of a GraphDef came from, so that messages name the place in the
/// source rather than a position in the vectors (from_json() drops malformed entries).
struct GraphLocations {
  /// Starts every place named: a file name, or "graph".
  std::string source = "graph";
  /// The nodes came from an object of id -> node (rust-logic-graph's shape).
  bool keyed_nodes = false;
  /// Position in the source of each node of the GraphDef; empty means the same position.
  std::vector<std::size_t> node_index;
  /// Position in the source of each edge of the GraphDef (or from_dependencies); empty means
  /// the same position.
  std::vector<std::size_t> edge_index;
  /// Lines in the source text (YAML's), 1-based, when known: of the node at each position of a
  /// list, of each keyed node by id, of the edge at each position.
  std::vector<std::size_t> node_lines;
  std::map<std::string, std::size_t, std::less<>> keyed_node_lines;
  std::vector<std::size_t> edge_lines;

  /// `nodes[2] (id 'price')` or, for keyed nodes, `nodes['price']`; with the line when known
  /// (`nodes[2] (id 'price', line 14)`).
  [[nodiscard]] std::string node_place(const GraphDef& graph, std::size_t node) const;
  /// `edges[1] (price -> notify)` (with the line when known); `dependencies of 'notify'
  /// (price -> notify)` for an edge made from a node's dependencies.
  [[nodiscard]] std::string edge_place(const GraphDef& graph, std::size_t edge) const;
  /// node_place() of the node at `index` of the source's list, after the source.
  [[nodiscard]] std::string listed_node_at(std::size_t index, std::string_view id,
                                           bool id_known) const;
  /// node_place() of the keyed node `id`, after the source.
  [[nodiscard]] std::string keyed_node_at(std::string_view id) const;
  /// edge_place() of the edge at `index` of the source's list, after the source.
  [[nodiscard]] std::string edge_at(std::size_t index, std::string_view from, std::string_view to,
                                    bool ends_known) const;
  /// `source: ` followed by `place`.
  [[nodiscard]] std::string at(std::string_view place) const;
};

/// `nodes[2] (id 'price')`; just `nodes[2]` when the id is not known; `line` (when not 0)
/// added: `nodes[2] (id 'price', line 14)`.
std::string node_place(std::size_t index, std::string_view id, bool id_known, std::size_t line = 0);
/// `nodes['price']`, a node in an object of id -> node (`nodes['price'] (line 14)`).
std::string keyed_node_place(std::string_view id, std::size_t line = 0);
/// `edges[1] (price -> notify)`; just `edges[1]` when the ends are not known (`line` as for
/// nodes).
std::string edge_place(std::size_t index, std::string_view from, std::string_view to,
                       bool ends_known, std::size_t line = 0);

}  // namespace lg::detail
