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

namespace {

std::size_t line_at(const std::vector<std::size_t>& lines, std::size_t index) {
  return index < lines.size() ? lines[index] : 0;
}

// ` (what)`, ` (what, line N)` or ` (line N)`, or nothing.
std::string parenthesized(std::string_view what, std::size_t line) {
  if (line == 0) {
    return what.empty() ? std::string() : fmt::format(" ({})", what);
  }
  return what.empty() ? fmt::format(" (line {})", line) : fmt::format(" ({}, line {})", what, line);
}

}  // namespace

std::string node_place(std::size_t index, std::string_view id, bool id_known, std::size_t line) {
  // fmt rather than operator+ chains: GCC 12 at -O3 warns falsely (-Wrestrict) on those.
  return fmt::format(
      "nodes[{}]{}", index,
      parenthesized(id_known ? fmt::format("id {}", in_quotes(id)) : std::string(), line));
}

std::string keyed_node_place(std::string_view id, std::size_t line) {
  return fmt::format("nodes[{}]{}", in_quotes(id), parenthesized({}, line));
}

std::string edge_place(std::size_t index, std::string_view from, std::string_view to,
                       bool ends_known, std::size_t line) {
  return fmt::format(
      "edges[{}]{}", index,
      parenthesized(
          ends_known ? fmt::format("{} -> {}", printable(from), printable(to)) : std::string(),
          line));
}

std::string GraphLocations::node_place(const GraphDef& graph, std::size_t node) const {
  const std::string& id = graph.nodes[node].id;
  if (keyed_nodes) {
    const auto line = keyed_node_lines.find(id);
    return keyed_node_place(id, line == keyed_node_lines.end() ? 0 : line->second);
  }
  const std::size_t index = node_index.empty() ? node : node_index[node];
  return detail::node_place(index, id, !id.empty(), line_at(node_lines, index));
}

std::string GraphLocations::edge_place(const GraphDef& graph, std::size_t edge) const {
  const EdgeDef& def = graph.edges[edge];
  const std::size_t index = edge_index.empty() ? edge : edge_index[edge];
  if (index == from_dependencies) {
    return fmt::format("dependencies of {} ({} -> {})", in_quotes(def.to), printable(def.from),
                       printable(def.to));
  }
  return detail::edge_place(index, def.from, def.to, true, line_at(edge_lines, index));
}

std::string GraphLocations::listed_node_at(std::size_t index, std::string_view id,
                                           bool id_known) const {
  return at(detail::node_place(index, id, id_known, line_at(node_lines, index)));
}

std::string GraphLocations::keyed_node_at(std::string_view id) const {
  const auto line = keyed_node_lines.find(id);
  return at(keyed_node_place(id, line == keyed_node_lines.end() ? 0 : line->second));
}

std::string GraphLocations::edge_at(std::size_t index, std::string_view from, std::string_view to,
                                    bool ends_known) const {
  return at(detail::edge_place(index, from, to, ends_known, line_at(edge_lines, index)));
}

std::string GraphLocations::at(std::string_view place) const {
  std::string where = source;
  where += ": ";
  where += place;
  return where;
}

}  // namespace lg::detail
