// The founding guide's complete example: batches of pooled contexts processed in a coroutine,
// with the whole run profiled and each phase tracked.

#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/memory/allocation_tracker.hpp>
#include <logic_graph/memory/memory_profiler.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

namespace asio = boost::asio;

namespace {

constexpr int kBatches = 100;
constexpr int kBatchSize = 100;

/// Fills kBatchSize contexts per batch, waits as if for I/O, then returns them all to the pool.
asio::awaitable<void> process_batches(lg::ContextPool& pool) {
  lg::memory::AllocationTracker tracker{"process_batch"};
  asio::steady_timer timer{co_await asio::this_coro::executor};
  std::vector<lg::ContextLease> batch;
  batch.reserve(kBatchSize);

  for (int b = 0; b < kBatches; ++b) {
    for (int item = 0; item < kBatchSize; ++item) {
      auto ctx = pool.acquire();
      ctx->set("batch", b);
      ctx->set("item", item);
      batch.push_back(std::move(ctx));
    }
    timer.expires_after(std::chrono::microseconds(100));
    co_await timer.async_wait(asio::use_awaitable);
    for (auto& ctx : batch) {
      pool.release(std::move(ctx));
    }
    batch.clear();
  }
  tracker.stop();
}

}  // namespace

int main() {
  spdlog::set_pattern("%v");  // plain report lines, without timestamps

  // Default config: max_pooled = 100, exactly one batch. The first batch creates 100 contexts;
  // the other 99 batches find them all idle.
  lg::ContextPool pool;
  asio::io_context io;
  auto done =
      asio::co_spawn(io,
                     lg::memory::MemoryProfiler::profile_async(
                         "high_throughput_processing", [&pool] { return process_batches(pool); }),
                     asio::use_future);
  io.run();
  done.get();  // rethrows if the processing failed

  const lg::PoolStats stats = pool.stats();
  std::printf("Total acquired: %llu\n", static_cast<unsigned long long>(stats.total_acquired));
  std::printf("Reused: %llu\n", static_cast<unsigned long long>(stats.reused));
  std::printf("Created: %llu\n", static_cast<unsigned long long>(stats.created));
  std::printf("Reuse rate: %.2f%%\n", stats.reuse_rate());
}
