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
/// Deepest nesting of arrays and objects a graph may have (configs included).
inline constexpr std::size_t max_nesting = 256;
/// The offset of the bracket that nests deeper than `limit` in JSON text, or npos. A linear
/// scan that needs no valid JSON (strings and escapes are skipped), so it can run before a
/// recursive parser does.
std::size_t too_deep_at(std::string_view text, std::size_t limit = max_nesting) noexcept;
/// Whether `json` nests deeper than max_nesting.
bool nested_too_deep(const nlohmann::json& json);

nlohmann::json parse_graph_text(std::string_view text, std::string_view source,
                                std::vector<Diagnostic>& out);

}  // namespace lg::detail
