// MemoryBudget: a ceiling on bytes in use, checked where the caller chooses; a clear error,
// never an abort.

#include <logic_graph/memory/memory_budget.hpp>

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <vector>

int main() {
  constexpr std::uint64_t kMiB = 1024 * 1024;
  const lg::memory::MemoryBudget budget{16 * kMiB};
  std::cout << "Limit: " << budget.limit_bytes() / kMiB << " MiB\n";

  // Within budget: check() finds nothing and enforce() does not throw.
  if (const auto error = budget.check()) {
    std::cout << "Unexpected: " << error->message() << '\n';
    return 1;
  }
  budget.enforce();
  std::cout << "Within budget: yes\n";

  {
    // A 32 MiB buffer, really allocated and counted (this program links alloc_counting).
    const std::vector<std::byte> buffer(32 * kMiB);
    std::cout << "Allocated: " << buffer.size() / kMiB << " MiB\n";

    if (const auto error = budget.check()) {
      std::cout << "check(): " << error->message() << '\n';
    }
    try {
      budget.enforce();
      std::cout << "Unexpected: enforce() did not throw\n";
      return 1;
    } catch (const lg::memory::BudgetExceeded& e) {
      std::cout << "enforce() threw: " << e.what() << '\n';
    }
  }

  // The buffer is gone, so the same budget passes again.
  std::cout << "After freeing, within budget: " << std::boolalpha << !budget.check() << '\n';
}
