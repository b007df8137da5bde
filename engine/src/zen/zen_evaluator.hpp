#pragma once

#include "zen/zen_ast.hpp"

#include <span>
#include <string_view>

namespace lg::zen {

/// A name bound over the environment (a decision table's `$`, `$nodes`): found before the
/// environment's member of that name.
struct Local {
  std::string_view name;
  const Value* value;
};

/// The value of `root` (parsed from `text`) with `env` as the environment and `locals` over it;
/// throws lg::ExpressionError at the failing node's place.
[[nodiscard]] Value evaluate(std::string_view text, const Node& root, const Value& env,
                             std::span<const Local> locals = {});

}  // namespace lg::zen
