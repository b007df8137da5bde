#pragma once

#include <logic_graph/engine/graph/graph_error.hpp>
#include <logic_graph/engine/graph/json_text.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace lg::detail {

/// Deepest nesting of arrays and objects a graph may have (configs included).
inline constexpr std::size_t max_nesting = 256;

/// Whether `json` nests deeper than max_nesting.
bool nested_too_deep(const nlohmann::json& json);

/// Parses the JSON text of a graph. Invalid JSON throws GraphError naming line, column and byte
/// offset. Keys repeated in an object of nodes (JSON keeps only the last, silently) are reported
/// in `out` as duplicate ids.
nlohmann::json parse_graph_text(std::string_view text, std::string_view source,
                                std::vector<Diagnostic>& out);

}  // namespace lg::detail
