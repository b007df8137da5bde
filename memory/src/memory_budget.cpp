#include <logic_graph/memory/memory_budget.hpp>

#include <logic_graph/memory/memory_metrics.hpp>
#include "detail/format.hpp"

#include <fmt/format.h>

namespace lg::memory {

std::string BudgetError::message() const {
  return fmt::format("memory budget exceeded: {} MB in use ({} bytes), limit {} MB ({} bytes)",
                     detail::megabytes(static_cast<double>(current_bytes)), current_bytes,
                     detail::megabytes(static_cast<double>(limit_bytes)), limit_bytes);
}

BudgetExceeded::BudgetExceeded(const BudgetError& error)
    : std::runtime_error(error.message()), error_(error) {}

std::optional<BudgetError> MemoryBudget::check(std::uint64_t current_bytes) const noexcept {
  if (current_bytes <= limit_bytes_) {
    return std::nullopt;
  }
  return BudgetError{current_bytes, limit_bytes_};
}

std::optional<BudgetError> MemoryBudget::check() const noexcept {
  return check(global_metrics().current_bytes());
}

void MemoryBudget::enforce() const {
  if (const auto error = check()) {
    throw BudgetExceeded(*error);
  }
}

}  // namespace lg::memory
