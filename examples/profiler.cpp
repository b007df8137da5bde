// MemoryProfiler: wrap a call (or a coroutine) and get its allocations and time logged.

#include <logic_graph/memory/memory_profiler.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <iostream>
#include <vector>

namespace asio = boost::asio;
using lg::memory::MemoryProfiler;

int main() {
  spdlog::set_pattern("%v");  // plain report lines, without timestamps

  // Synchronous: logs `[expensive_operation] Δ Allocations: +1, Δ Bytes: +...` and hands the
  // vector back.
  const auto data =
      MemoryProfiler::profile("expensive_operation", [] { return std::vector<int>(1'000'000); });
  std::cout << "Vector size: " << data.size() << '\n';

  // Asynchronous: profile_async is itself an awaitable, so it can be spawned or co_awaited.
  // The timer stands in for I/O; the report includes the time spent waiting.
  const auto fetch_answer = []() -> asio::awaitable<int> {
    asio::steady_timer timer{co_await asio::this_coro::executor, std::chrono::milliseconds(5)};
    co_await timer.async_wait(asio::use_awaitable);
    co_return 42;
  };
  asio::thread_pool threads{2};
  std::future<int> answer = asio::co_spawn(
      threads, MemoryProfiler::profile_async("async_operation", fetch_answer), asio::use_future);
  const int result = answer.get();  // the report is logged before the value is handed over
  std::cout << "Async result: " << result << '\n';
  threads.join();
}
