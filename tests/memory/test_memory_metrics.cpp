#include <logic_graph/memory/memory_metrics.hpp>

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

using lg::memory::MemoryMetrics;

TEST_SUITE("memory metrics") {
  TEST_CASE("record_alloc and record_dealloc move current, peak and totals") {
    MemoryMetrics metrics;
    metrics.record_alloc(1024);
    metrics.record_alloc(1024);
    metrics.record_dealloc(512);
    metrics.record_context_alloc();
    CHECK(metrics.total_allocations() == 2);
    CHECK(metrics.total_deallocations() == 1);
    CHECK(metrics.total_bytes() == 2048);
    CHECK(metrics.current_bytes() == 1536);
    CHECK(metrics.peak_bytes() == 2048);
    CHECK(metrics.context_allocations() == 1);

    metrics.reset_peak();
    CHECK(metrics.peak_bytes() == 1536);
    metrics.record_dealloc(4096);  // more freed than recorded: current floors at zero
    CHECK(metrics.current_bytes() == 0);
  }

  TEST_CASE("summary names every figure") {
    MemoryMetrics metrics;
    metrics.record_alloc(2 * 1024 * 1024);
    const std::string text = metrics.summary();
    CHECK(text.find("allocations 1") != std::string::npos);
    CHECK(text.find("current 2097152 bytes (2.00 MB)") != std::string::npos);
    CHECK(text.find("peak 2097152 bytes") != std::string::npos);
    CHECK(text.find("contexts 0") != std::string::npos);
  }

  TEST_CASE("counters are exact under concurrent recording") {
    MemoryMetrics metrics;
    constexpr int threads = 4;
    constexpr int per_thread = 10'000;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (int i = 0; i < per_thread; ++i) {
          metrics.record_alloc(16);
          metrics.record_dealloc(16);
        }
      });
    }
    for (auto& worker : workers) {
      worker.join();
    }
    CHECK(metrics.total_allocations() == threads * per_thread);
    CHECK(metrics.total_deallocations() == threads * per_thread);
    CHECK(metrics.current_bytes() == 0);
    CHECK(metrics.peak_bytes() >= 16);
    CHECK(metrics.peak_bytes() <= 16 * threads);
  }
}
