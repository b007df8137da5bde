#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace lg::memory {

/// Bytes in use went over a budget.
struct BudgetError {
  std::uint64_t current_bytes = 0;
  std::uint64_t limit_bytes = 0;

  /// `memory budget exceeded: 120.00 MB in use (125829120 bytes), limit 100.00 MB (...)`
  [[nodiscard]] std::string message() const;
};

/// Thrown by MemoryBudget::enforce().
class BudgetExceeded : public std::runtime_error {
 public:
  explicit BudgetExceeded(const BudgetError& error);
  [[nodiscard]] const BudgetError& error() const noexcept { return error_; }

 private:
  BudgetError error_;
};

/// A ceiling on bytes in use (as global_metrics() counts them), checked where the caller chooses:
/// before starting work, or by the executor before each node.
class MemoryBudget {
 public:
  explicit MemoryBudget(std::uint64_t limit_bytes) noexcept : limit_bytes_(limit_bytes) {}

  /// The error if global_metrics().current_bytes() is over the limit, nothing otherwise.
  [[nodiscard]] std::optional<BudgetError> check() const noexcept;
  /// The same for a figure the caller measured.
  [[nodiscard]] std::optional<BudgetError> check(std::uint64_t current_bytes) const noexcept;
  /// Throws BudgetExceeded when check() finds the budget exceeded.
  void enforce() const;

  [[nodiscard]] std::uint64_t limit_bytes() const noexcept { return limit_bytes_; }

 private:
  std::uint64_t limit_bytes_;
};

}  // namespace lg::memory
