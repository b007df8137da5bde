#pragma once

#include "zen/zen_ast.hpp"

#include <string_view>

namespace lg::zen {

/// The value of `root` (parsed from `text`) with `env` as the environment; throws
/// lg::ExpressionError at the failing node's place.
[[nodiscard]] Value evaluate(std::string_view text, const Node& root, const Value& env);

}  // namespace lg::zen
