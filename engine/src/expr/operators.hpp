#pragma once

// The semantics shared by operators and built-in functions: equality, ordering, membership
// and checked arithmetic. Errors are reported at the node that applies the operation.

#include "expr/evaluator.hpp"
#include "expr/value.hpp"

#include <compare>
#include <string_view>

namespace lg::detail {

/// Holds every integer a Value holds (-2^63 .. 2^64 - 1) and the sum or difference of any two,
/// so that integer arithmetic is exact and checked once, on the result.
__extension__ typedef __int128 WideInt;  // NOLINT(modernize-use-using): __extension__ needs it

/// The integer `v` holds (is_integer() only).
[[nodiscard]] WideInt wide(const Value& v) noexcept;
/// `w` as an integer Value, or an "integer overflow in `what`" error outside -2^63 .. 2^64 - 1.
[[nodiscard]] Value checked_integer(const Evaluator& ev, const Node& at, WideInt w,
                                    std::string_view what);

/// "null", "boolean", "number", "string", "array", "object" or "binary".
[[nodiscard]] std::string_view type_name(const Value& v) noexcept;

/// Exact ordering of two numbers, integers (of either kind) and reals mixed; unordered when one
/// is NaN.
[[nodiscard]] std::partial_ordering compare_numbers(const Value& a, const Value& b) noexcept;

/// `==`: any two values; numbers by exact value (1 == 1.0), containers deeply with the same
/// rule for the numbers inside.
[[nodiscard]] bool values_equal(const Value& a, const Value& b) noexcept;

/// `needle in haystack`: an element of an array, a substring of a string or a key of an
/// object. `what` names the operation in type errors.
[[nodiscard]] bool contains(const Evaluator& ev, const Node& at, const Value& haystack,
                            const Value& needle, std::string_view what);

/// A real result, or an error when it overflowed to infinity or is NaN.
[[nodiscard]] Value checked_real(const Evaluator& ev, const Node& at, double d);

/// The operator of `node` (NodeKind::unary) applied to `operand`.
[[nodiscard]] Value apply_unary(const Evaluator& ev, const Node& node, const Value& operand);
/// The operator of `node` (NodeKind::binary) applied to `lhs` and `rhs`.
[[nodiscard]] Value apply_binary(const Evaluator& ev, const Node& node, const Value& lhs,
                                 const Value& rhs);

}  // namespace lg::detail
