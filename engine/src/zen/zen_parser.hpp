#pragma once

#include "zen/zen_ast.hpp"

#include <memory>
#include <string_view>

namespace lg::zen {

/// An expression (with `;`-separated assignments) of ZEN's standard mode; throws
/// lg::ExpressionError naming the position.
[[nodiscard]] std::unique_ptr<Node> parse_standard(std::string_view text);
/// A unary test of `$` (a decision-table cell): `> 5`, `'GB', 'US'`, `[1..5)`, `$ > 0 and $ < 3`.
[[nodiscard]] std::unique_ptr<Node> parse_unary(std::string_view text);

}  // namespace lg::zen
