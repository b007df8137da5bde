#include <logic_graph/memory/memory_budget.hpp>

#include <logic_graph/memory/memory_metrics.hpp>

#include <doctest/doctest.h>

#include <vector>

using lg::memory::BudgetExceeded;
using lg::memory::MemoryBudget;

TEST_SUITE("memory budget") {
  TEST_CASE("a figure within the limit passes, one above it is an error naming both") {
    const MemoryBudget budget{100 * 1024 * 1024};
    CHECK_FALSE(budget.check(100 * 1024 * 1024).has_value());
    const auto error = budget.check(120 * 1024 * 1024);
    REQUIRE(error.has_value());
    CHECK(error->current_bytes == 120 * 1024 * 1024);
    CHECK(error->limit_bytes == 100 * 1024 * 1024);
    CHECK(error->message() ==
          "memory budget exceeded: 120.00 MB in use (125829120 bytes), limit 100.00 MB "
          "(104857600 bytes)");
  }

  TEST_CASE("check and enforce read the measured bytes in use") {
    std::vector<char> held(1 << 20);
    const auto in_use = lg::memory::global_metrics().current_bytes();
    REQUIRE(in_use >= held.size());

    const MemoryBudget generous{in_use + (64ULL << 20)};
    CHECK_FALSE(generous.check().has_value());
    CHECK_NOTHROW(generous.enforce());

    const MemoryBudget tight{held.size() / 2};
    REQUIRE(tight.check().has_value());
    CHECK_THROWS_WITH_AS(tight.enforce(), doctest::Contains("memory budget exceeded"),
                         BudgetExceeded);
    try {
      tight.enforce();
    } catch (const BudgetExceeded& e) {
      CHECK(e.error().limit_bytes == held.size() / 2);
      CHECK(e.error().current_bytes > e.error().limit_bytes);
    }
  }
}
