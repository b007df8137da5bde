#pragma once

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/key_lookup.hpp>

#include <nlohmann/json.hpp>

#include <limits>
#include <string_view>
#include <vector>

// A decision-table cell: a unary test of its column's value, in ZEN's syntax.
namespace lg::detail {

/// The index compares numbers as doubles, exact below this magnitude (2^53): cells with larger
/// numbers are left to their expression, which compares integers exactly.
inline constexpr double exact_double_limit = 9007199254740992.0;

/// Numbers from `low` to `high`, each end open or closed (an infinite end is open).
struct Interval {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool low_open = true;
  bool high_open = true;

  [[nodiscard]] bool contains(double x) const noexcept {
    return (low_open ? x > low : x >= low) && (high_open ? x < high : x <= high);
  }
};

/// A cell compiled once. An empty cell matches anything. Otherwise it is an expression of `$`,
/// the column's value: ZEN's unary forms (`'GB', 'US'`, `[0..10)`, `> 5 and < 10`, `in [1, 2]`,
/// `not in [..]`, a value: equal to it) are read into one, and a cell that names `$` is an
/// expression as written (with `and`, `or`, `not`).
///
/// When every alternative of the cell is a constant (an equality with a scalar, or a numeric
/// interval), `values` and `intervals` hold them, so that the table can be indexed.
struct UnaryTest {
  bool any = false;
  /// The test as expressions that read `$`, one per comma-separated alternative: the cell
  /// matches when one holds (one that fails to evaluate does not hold; the others still count).
  std::vector<Expression> alternatives;
  /// Index form: true when the cell matches exactly the values equal to one of `values` or
  /// inside one of `intervals`.
  bool constant = false;
  std::vector<nlohmann::json> values;
  std::vector<Interval> intervals;

  /// The test against `subject`, other names looked up in `rest`. A test that fails to evaluate
  /// (a type error, say) does not match, as in ZEN.
  [[nodiscard]] bool matches(const nlohmann::json& subject, const KeyLookup& rest) const;
};

/// Compiles `cell` (empty: any). A column without a subject (no input expression) takes each
/// cell as an expression of its own. Throws ExpressionError positioned in `cell`.
[[nodiscard]] UnaryTest compile_unary_test(std::string_view cell, bool has_subject = true);

}  // namespace lg::detail
