// One pool shared by several threads: acquire and release need no outside locking.

#include <logic_graph/engine/context/context_pool.hpp>

#include <cstdio>
#include <latch>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

int main() {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;

  auto pool = std::make_shared<lg::ContextPool>();
  // Released together so that the threads really do contend for the pool.
  std::latch start{kThreads};

  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([pool, t, &start] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        auto ctx = pool->acquire();
        ctx->set("thread", t);
        ctx->set("iteration", i);
        pool->release(std::move(ctx));
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }

  const lg::PoolStats stats = pool->stats();
  std::printf("Threads: %d x %d acquisitions\n", kThreads, kPerThread);
  std::printf("Total acquired: %llu\n", static_cast<unsigned long long>(stats.total_acquired));
  // How acquisitions split into reused and created depends on scheduling; their sum does not.
  std::printf("Reused + created == total: %s\n",
              stats.reused + stats.created == stats.total_acquired ? "yes" : "no");
  // Typically one context per thread: each holds one at a time and the rest is reuse.
  std::printf("Created: %llu, reused: %llu (%.2f%%)\n",
              static_cast<unsigned long long>(stats.created),
              static_cast<unsigned long long>(stats.reused), stats.reuse_rate());
}
