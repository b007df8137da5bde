#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

// Sets of a decision table's rows, one bit per row.
namespace lg::detail {

/// The number of 64-bit words that hold `rows` bits.
[[nodiscard]] constexpr std::size_t row_words(std::size_t rows) noexcept {
  return (rows + 63) / 64;
}

inline void add_row(std::span<std::uint64_t> set, std::uint32_t row) noexcept {
  set[row / 64] |= std::uint64_t{1} << (row % 64);
}

[[nodiscard]] inline bool has_row(std::span<const std::uint64_t> set, std::uint32_t row) noexcept {
  return ((set[row / 64] >> (row % 64)) & 1U) != 0;
}

/// Calls `visit(row)` for each row in `set`, in order, until it returns false.
template <class Visit>
void for_each_row(std::span<const std::uint64_t> set, Visit visit) {
  for (std::size_t word = 0; word < set.size(); ++word) {
    for (std::uint64_t bits = set[word]; bits != 0; bits &= bits - 1) {
      if (!visit(static_cast<std::uint32_t>(word * 64 + std::countr_zero(bits)))) {
        return;
      }
    }
  }
}

}  // namespace lg::detail
