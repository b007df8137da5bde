#include <logic_graph/memory/allocation_tracker.hpp>

#include "support/log_capture.hpp"

#include <doctest/doctest.h>

#include <vector>

using lg::memory::AllocationTracker;
using lg::memory::MemoryDiff;

TEST_SUITE("allocation tracker") {
  TEST_CASE("the report line has the seed guide's shape") {
    MemoryDiff figures;
    figures.allocations = 150;
    figures.allocated_bytes = 24576;
    figures.duration = std::chrono::microseconds(1234);
    CHECK(AllocationTracker::format("my_operation", figures) ==
          "[my_operation] Allocations: 150, Bytes: 24576 (0.02 MB), Duration: 1.234ms");
  }

  TEST_CASE("stop measures what happened in scope, logs once and returns the figures") {
    lg::test::LogCapture log;
    AllocationTracker tracker{"fill"};
    std::vector<int> numbers(1000, 7);
    const MemoryDiff figures = tracker.stop();
    CHECK(figures.allocations == 1);
    CHECK(figures.allocated_bytes >= 1000 * sizeof(int));
    CHECK(log.text().find("[fill] Allocations: 1, Bytes: ") == 0);
    CHECK(log.text().find("MB), Duration: ") != std::string::npos);

    const MemoryDiff again = tracker.stop();
    CHECK(again.allocations == figures.allocations);
    CHECK(log.text().find("[fill]", 1) == std::string::npos);  // logged only once
  }

  TEST_CASE("destruction logs when stop was not called") {
    lg::test::LogCapture log;
    {
      AllocationTracker tracker{"scoped"};
      CHECK(tracker.name() == "scoped");
    }
    CHECK(log.text().find("[scoped] Allocations: 0, Bytes: 0 (0.00 MB), Duration: ") == 0);
  }

  TEST_CASE("elapsed reads without stopping") {
    lg::test::LogCapture log;
    AllocationTracker tracker{"peek"};
    auto block = std::make_unique<char[]>(64);
    CHECK(tracker.elapsed().allocations == 1);
    CHECK(log.text().empty());
  }
}
