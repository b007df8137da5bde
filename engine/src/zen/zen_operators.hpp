#pragma once

// ZEN's binary operators on two values: arithmetic in decimal, comparisons of numbers,
// equality of scalars, and `in`.

#include "zen/zen_ast.hpp"
#include "zen/zen_value.hpp"

namespace lg::zen {

/// `a op b`; throws CallError for operand types the operator does not take and for an
/// overflow. Division and remainder by zero give null.
[[nodiscard]] Value apply(BinaryOp op, const Value& a, const Value& b);

/// `a in b`: an element of an array (by ==), a number inside an interval, a key of an object;
/// throws CallError for other pairs.
[[nodiscard]] bool contains(const Value& a, const Value& b);

}  // namespace lg::zen
