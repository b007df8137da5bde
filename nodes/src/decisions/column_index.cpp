#include "decisions/column_index.hpp"

#include <algorithm>
#include <cmath>

namespace lg::detail {
namespace {

// Rows listed under all interval segments together, at most: past it (many wide intervals
// overlapping), the column's intervals are tested by expression instead.
constexpr std::size_t max_segment_rows = std::size_t{1} << 21;

}  // namespace

ColumnIndex::ColumnIndex(std::span<const UnaryTest> cells)
    : always_(row_words(cells.size())), tested_(row_words(cells.size())) {
  for (std::uint32_t row = 0; row < cells.size(); ++row) {
    const UnaryTest& cell = cells[row];
    if (cell.any || !cell.constant) {
      add_row(always_, row);
      if (!cell.any) {
        add_row(tested_, row);
      }
      continue;
    }
    for (const nlohmann::json& value : cell.values) {
      add_value(value, row);
    }
  }
  index_intervals(cells);
}

void ColumnIndex::add_value(const nlohmann::json& value, std::uint32_t row) {
  selective_ = true;
  if (value.is_string()) {
    strings_[value.get<std::string>()].push_back(row);
  } else if (value.is_boolean()) {
    (value.get<bool>() ? trues_ : falses_).push_back(row);
  } else if (value.is_null()) {
    nulls_.push_back(row);
  } else {
    numbers_[value.get<double>()].push_back(row);  // exact: UnaryTest keeps |x| < 2^53 only
  }
}

void ColumnIndex::index_intervals(std::span<const UnaryTest> cells) {
  for (const UnaryTest& cell : cells) {
    for (const Interval& range : cell.intervals) {
      for (const double end : {range.low, range.high}) {
        if (std::isfinite(end)) {
          ends_.push_back(end);
        }
      }
    }
  }
  std::sort(ends_.begin(), ends_.end());
  ends_.erase(std::unique(ends_.begin(), ends_.end()), ends_.end());
  // The segments [first, last] an interval covers (first > last: none).
  const auto covered = [&](const Interval& range) {
    const auto end_index = [&](double end) {
      return static_cast<std::size_t>(std::lower_bound(ends_.begin(), ends_.end(), end) -
                                      ends_.begin());
    };
    const std::size_t first =
        std::isinf(range.low) ? 0 : 2 * end_index(range.low) + 1 + (range.low_open ? 1 : 0);
    const std::size_t last = std::isinf(range.high)
                                 ? 2 * ends_.size()
                                 : 2 * end_index(range.high) + 1 - (range.high_open ? 1 : 0);
    return std::pair{first, last};
  };
  std::vector<std::uint32_t> count(2 * ends_.size() + 2, 0);
  std::size_t total = 0;
  bool any_interval = false;
  for (const UnaryTest& cell : cells) {
    for (const Interval& range : cell.intervals) {
      any_interval = true;
      const auto [first, last] = covered(range);
      for (std::size_t s = first; s <= last && s < count.size(); ++s) {
        ++count[s];
        ++total;
      }
      if (total > max_segment_rows) {
        break;
      }
    }
  }
  if (!any_interval) {
    return;
  }
  if (total > max_segment_rows) {
    // Too many overlaps to list: those rows become candidates always, tested one by one.
    for (std::uint32_t row = 0; row < cells.size(); ++row) {
      if (!cells[row].intervals.empty()) {
        add_row(always_, row);
        add_row(tested_, row);
      }
    }
    ends_.clear();
    return;
  }
  selective_ = true;
  segment_start_.assign(count.size() + 1, 0);
  for (std::size_t s = 0; s < count.size(); ++s) {
    segment_start_[s + 1] = segment_start_[s] + count[s];
  }
  segment_rows_.resize(total);
  std::vector<std::uint32_t> filled(segment_start_.begin(), segment_start_.end() - 1);
  for (std::uint32_t row = 0; row < cells.size(); ++row) {
    for (const Interval& range : cells[row].intervals) {
      const auto [first, last] = covered(range);
      for (std::size_t s = first; s <= last && s < count.size(); ++s) {
        segment_rows_[filled[s]++] = row;
      }
    }
  }
}

std::size_t ColumnIndex::segment_of(double x) const noexcept {
  const auto at = std::lower_bound(ends_.begin(), ends_.end(), x);
  const auto i = static_cast<std::size_t>(at - ends_.begin());
  return at != ends_.end() && *at == x ? 2 * i + 1 : 2 * i;
}

void ColumnIndex::candidates(const nlohmann::json& value, std::span<std::uint64_t> rows) const {
  std::copy(always_.begin(), always_.end(), rows.begin());
  const auto add_all = [&](const Rows& found) {
    for (const std::uint32_t row : found) {
      add_row(rows, row);
    }
  };
  switch (value.type()) {
    case nlohmann::json::value_t::string: {
      const auto found = strings_.find(std::string_view(value.get_ref<const std::string&>()));
      if (found != strings_.end()) {
        add_all(found->second);
      }
      return;
    }
    case nlohmann::json::value_t::boolean:
      add_all(value.get<bool>() ? trues_ : falses_);
      return;
    case nlohmann::json::value_t::null:
      add_all(nulls_);
      return;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: {
      // Beyond 2^53 a double is not exact, but no cell's constant is that large: such a value
      // equals none of them, and is on the same side of every interval end as its double.
      const double x = value.get<double>();
      if (std::isnan(x)) {
        return;
      }
      if (std::fabs(x) < exact_double_limit) {
        if (const auto found = numbers_.find(x); found != numbers_.end()) {
          add_all(found->second);
        }
      }
      if (!segment_start_.empty()) {
        const std::size_t s = segment_of(x);
        for (std::uint32_t i = segment_start_[s]; i < segment_start_[s + 1]; ++i) {
          add_row(rows, segment_rows_[i]);
        }
      }
      return;
    }
    default:
      return;  // arrays and objects equal no scalar and lie in no interval
  }
}

}  // namespace lg::detail
