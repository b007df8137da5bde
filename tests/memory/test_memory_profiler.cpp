#include <logic_graph/memory/memory_profiler.hpp>

#include "support/log_capture.hpp"

#include <doctest/doctest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <stdexcept>
#include <vector>

namespace asio = boost::asio;
using lg::memory::MemoryDiff;
using lg::memory::MemoryProfiler;

TEST_SUITE("memory profiler") {
  TEST_CASE("diff format has the seed guide's shape") {
    MemoryDiff diff;
    diff.allocations = 1500;
    diff.bytes = 245760;
    diff.duration = std::chrono::microseconds(123456);
    CHECK(diff.format() ==
          "Δ Allocations: +1500, Δ Bytes: +245760 (+0.23 MB), Duration: 123.456ms");
    diff.bytes = -2 * 1024 * 1024;
    diff.duration = std::chrono::nanoseconds(850);
    CHECK(diff.format() == "Δ Allocations: +1500, Δ Bytes: -2097152 (-2.00 MB), Duration: 850ns");
  }

  TEST_CASE("snapshots and diff see what happened between them") {
    const auto before = MemoryProfiler::snapshot();
    std::vector<char> block(100'000);
    const auto after = MemoryProfiler::snapshot();
    const MemoryDiff diff = after.diff(before);
    CHECK(diff.allocations == 1);
    CHECK(diff.bytes >= 100'000);
    CHECK(diff.duration.count() >= 0);
    CHECK(after.peak_bytes >= after.current_bytes);
  }

  TEST_CASE("profile returns the result and logs the figures") {
    lg::test::LogCapture log;
    const auto numbers =
        MemoryProfiler::profile("expensive_operation", [] { return std::vector<int>(1'000'000); });
    CHECK(numbers.size() == 1'000'000);
    CHECK(log.text().find("[expensive_operation] Δ Allocations: +1, Δ Bytes: +400") == 0);

    int calls = 0;
    MemoryProfiler::profile("void", [&] { ++calls; });
    CHECK(calls == 1);
    CHECK(log.text().find("[void] Δ Allocations: +0, Δ Bytes: +0 (+0.00 MB)") != std::string::npos);
  }

  TEST_CASE("profile logs even when the work throws") {
    lg::test::LogCapture log;
    CHECK_THROWS_AS(
        MemoryProfiler::profile("failing", []() -> int { throw std::runtime_error("x"); }),
        std::runtime_error);
    CHECK(log.text().find("[failing] Δ Allocations:") == 0);
  }

  TEST_CASE("profile_async works inside co_spawn on a thread pool") {
    lg::test::LogCapture log;
    asio::thread_pool threads(2);
    auto work = []() -> asio::awaitable<std::size_t> {
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(1));
      co_await timer.async_wait(asio::use_awaitable);
      std::vector<int> numbers(50'000);
      co_return numbers.size();
    };
    auto result = asio::co_spawn(threads, MemoryProfiler::profile_async("async_operation", work),
                                 asio::use_future);
    CHECK(result.get() == 50'000);

    auto nothing = asio::co_spawn(
        threads,
        MemoryProfiler::profile_async("async_void", []() -> asio::awaitable<void> { co_return; }),
        asio::use_future);
    nothing.get();
    threads.join();
    CHECK(log.text().find("[async_operation] Δ Allocations: +") == 0);
    CHECK(log.text().find("[async_void] Δ Allocations: +") != std::string::npos);
  }
}
