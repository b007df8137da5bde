#include "graph/graph_where.hpp"

#include <fmt/format.h>

#include <logic_graph/engine/graph/graph_def.hpp>

namespace lg::detail {

std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::string in_quotes(std::string_view text) {
  return fmt::format("'{}'", printable(text));
}

std::string node_place(std::size_t index, std::string_view id, bool id_known) {
  // fmt rather than operator+ chains: GCC 12 at -O3 warns falsely (-Wrestrict) on those.
  return id_known ? fmt::format("nodes[{}] (id {})", index, in_quotes(id))
                  : fmt::format("nodes[{}]", index);
}

std::string keyed_node_place(std::string_view id) {
  return fmt::format("nodes[{}]", in_quotes(id));
}

std::string edge_place(std::size_t index, std::string_view from, std::string_view to,
                       bool ends_known) {
  return ends_known ? fmt::format("edges[{}] ({} -> {})", index, printable(from), printable(to))
                    : fmt::format("edges[{}]", index);
}

std::string GraphLocations::node_place(const GraphDef& graph, std::size_t node) const {
  const std::string& id = graph.nodes[node].id;
  if (keyed_nodes) {
    return keyed_node_place(id);
  }
  const std::size_t index = node_index.empty() ? node : node_index[node];
  return detail::node_place(index, id, !id.empty());
}

std::string GraphLocations::edge_place(const GraphDef& graph, std::size_t edge) const {
  const EdgeDef& def = graph.edges[edge];
  const std::size_t index = edge_index.empty() ? edge : edge_index[edge];
  return detail::edge_place(index, def.from, def.to, true);
}

std::string GraphLocations::at(std::string_view place) const {
  std::string where = source;
  where += ": ";
  where += place;
  return where;
}

}  // namespace lg::detail
