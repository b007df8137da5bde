#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/memory/memory_profiler.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <new>
#include <thread>

using lg::memory::MemoryProfiler;

namespace {
struct alignas(128) OverAligned {
  char bytes[256];
};
}  // namespace

TEST_SUITE("allocation counting") {
  TEST_CASE("the counting target is linked into the test binary") {
    CHECK(lg::memory::allocation_counting_enabled());
  }

  TEST_CASE("a known allocation is seen, and its release") {
    const auto before = MemoryProfiler::snapshot();
    auto* block = new char[10'000];
    block[0] = 1;  // keep the allocation observable
    const auto during = MemoryProfiler::snapshot();
    delete[] block;
    const auto after = MemoryProfiler::snapshot();

    const auto grown = during.diff(before);
    CHECK(grown.allocations == 1);
    CHECK(grown.allocated_bytes >= 10'000);
    CHECK(grown.bytes >= 10'000);
    const auto shrunk = after.diff(during);
    CHECK(shrunk.deallocations == 1);
    CHECK(shrunk.bytes <= -10'000);
    CHECK(after.peak_bytes >= during.current_bytes);
  }

  TEST_CASE("every form of new is counted") {
    const auto before = MemoryProfiler::snapshot();
    auto single = std::make_unique<int>(1);
    auto array = std::make_unique<int[]>(8);
    auto aligned = std::make_unique<OverAligned>();
    int* nothrow = new (std::nothrow) int(3);
    const auto diff = MemoryProfiler::snapshot().diff(before);
    delete nothrow;
    CHECK(diff.allocations == 4);
    CHECK(reinterpret_cast<std::uintptr_t>(aligned.get()) % 128 == 0);
  }

  TEST_CASE("a short-lived thread's allocations are not lost") {
    const auto before = MemoryProfiler::snapshot();
    char* kept = nullptr;
    std::thread([&] { kept = new char[1000]; }).join();
    const auto diff = MemoryProfiler::snapshot().diff(before);
    delete[] kept;
    CHECK(diff.allocations >= 2);  // the thread's state and the block
    CHECK(diff.allocated_bytes >= 1000);
  }
}
