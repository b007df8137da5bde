#pragma once

#include "decisions/row_set.hpp"
#include "decisions/unary_test.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lg::detail {

/// The rows of one decision-table column that a value can match, found without testing each
/// row: a constant cell (equal to scalars, inside numeric intervals) is found by hashing the
/// value or by a binary search among the intervals' ends; the other rows (empty cells, and
/// cells that need their expression) are candidates whatever the value, and needs_test() says
/// which of them must still be tested.
class ColumnIndex {
 public:
  /// `cells[r]` is row r's cell of the column.
  explicit ColumnIndex(std::span<const UnaryTest> cells);

  /// False when every row is a candidate whatever the value (nothing to look up).
  [[nodiscard]] bool selective() const noexcept { return selective_; }
  /// Writes into `rows` (row_words(rows) words) the rows that `value` may match.
  void candidates(const nlohmann::json& value, std::span<std::uint64_t> rows) const;
  /// True when row `row`'s cell is not decided by the index: its expression must be tested.
  [[nodiscard]] bool needs_test(std::uint32_t row) const noexcept { return has_row(tested_, row); }

 private:
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  using Rows = std::vector<std::uint32_t>;

  void add_value(const nlohmann::json& value, std::uint32_t row);
  void index_intervals(std::span<const UnaryTest> cells);
  [[nodiscard]] std::size_t segment_of(double x) const noexcept;

  bool selective_ = false;
  std::vector<std::uint64_t> always_;  // candidates whatever the value
  std::vector<std::uint64_t> tested_;  // rows whose cell the index does not decide
  std::unordered_map<std::string, Rows, TextHash, std::equal_to<>> strings_;
  std::unordered_map<double, Rows> numbers_;
  Rows trues_, falses_, nulls_;
  // The intervals' distinct ends in order split the numbers into segments: segment 2i is
  // between ends i-1 and i, 2i+1 is end i itself. segment_rows_ lists the rows of segment s
  // from segment_start_[s] to segment_start_[s + 1].
  std::vector<double> ends_;
  std::vector<std::uint32_t> segment_start_;
  Rows segment_rows_;
};

}  // namespace lg::detail
