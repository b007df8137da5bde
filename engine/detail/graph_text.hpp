#pragma once

#include <logic_graph/engine/graph_error.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace lg::detail {

/// A place in a text, both 1-based; the column counts UTF-8 characters, not bytes.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// The line and column of byte `offset` in `text` (an offset past the end means the end).
TextPosition text_position(std::string_view text, std::size_t offset);

/// Parses the JSON text of a graph. Invalid JSON throws GraphError naming line, column and byte
/// offset. Keys repeated in an object of nodes (JSON keeps only the last, silently) are reported
/// in `out` as duplicate ids.
nlohmann::json parse_graph_text(std::string_view text, std::string_view source,
                                std::vector<Diagnostic>& out);

}  // namespace lg::detail
