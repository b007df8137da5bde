#include <logic_graph/engine/context/context_pool.hpp>

#include <logic_graph/memory/memory_profiler.hpp>

#include <doctest/doctest.h>

#include <barrier>
#include <memory>
#include <set>
#include <thread>
#include <vector>

using lg::ContextLease;
using lg::ContextPool;
using lg::PoolConfig;

TEST_SUITE("context pool") {
  TEST_CASE("the seed guide's defaults") {
    const PoolConfig config;
    CHECK(config.max_pooled == 100);
    CHECK(config.initial_capacity == 16);
    CHECK(config.track_stats);
  }

  TEST_CASE("a released context comes back empty with its capacity") {
    ContextPool pool{{.max_pooled = 4, .initial_capacity = 32}};
    lg::Context* first = nullptr;
    {
      ContextLease ctx = pool.acquire();
      first = ctx.get();
      CHECK(ctx->capacity() >= 32);
      ctx->set("key", "value");
      pool.release(std::move(ctx));
      CHECK_FALSE(ctx);
    }
    CHECK(pool.size() == 1);
    ContextLease again = pool.acquire();
    CHECK(again.get() == first);  // one thread: the idle context is the one handed out
    CHECK(again->empty());
    CHECK(again->capacity() >= 32);
    CHECK(pool.size() == 0);
  }

  TEST_CASE("stats and reuse rate follow acquisitions exactly") {
    ContextPool pool;
    { auto a = pool.acquire(); }
    { auto b = pool.acquire(); }
    {
      auto c = pool.acquire();
      auto d = pool.acquire();
    }
    const auto stats = pool.stats();
    CHECK(stats.total_acquired == 4);
    CHECK(stats.created == 2);
    CHECK(stats.reused == 2);
    CHECK(stats.current_pool_size == 2);
    CHECK(stats.peak_pool_size == 2);
    CHECK(pool.reuse_rate() == doctest::Approx(50.0));
  }

  TEST_CASE("max_pooled is respected and the rest is destroyed") {
    ContextPool pool{{.max_pooled = 10}};
    std::vector<ContextLease> leases;
    for (int i = 0; i < 25; ++i) {
      leases.push_back(pool.acquire());
    }
    leases.clear();
    const auto stats = pool.stats();
    CHECK(pool.size() == 10);
    CHECK(stats.discarded == 15);
    CHECK(stats.peak_pool_size == 10);

    ContextPool none{{.max_pooled = 0}};
    { auto ctx = none.acquire(); }
    CHECK(none.size() == 0);
    CHECK(none.stats().discarded == 1);
  }

  TEST_CASE("reserve warms the pool and clear empties it") {
    ContextPool pool{{.max_pooled = 8}};
    pool.reserve(100);  // bounded by max_pooled
    CHECK(pool.size() == 8);
    { auto ctx = pool.acquire(); }
    CHECK(pool.stats().reused == 1);
    CHECK(pool.stats().created == 0);
    pool.clear();
    CHECK(pool.size() == 0);
  }

  TEST_CASE("track_stats off leaves the counters at zero") {
    ContextPool pool{{.track_stats = false}};
    { auto ctx = pool.acquire(); }
    { auto ctx = pool.acquire(); }
    CHECK(pool.stats().total_acquired == 0);
    CHECK(pool.size() == 1);
  }

  TEST_CASE("leases move, and release is idempotent") {
    ContextPool pool;
    ContextLease a = pool.acquire();
    a->set("x", 1);
    ContextLease b = std::move(a);
    CHECK_FALSE(a);
    CHECK(b->get<int>("x") == 1);
    b.release();
    b.release();
    CHECK(pool.size() == 1);
    ContextLease c;
    c = pool.acquire();
    c = pool.acquire();  // assigning over a lease returns the old context
    CHECK(pool.size() == 1);
  }

  TEST_CASE("steady state allocates nothing per acquire and release") {
    ContextPool pool;
    pool.reserve(4);
    // The pool's first use on this thread may allocate (its thread cache, the thread's number);
    // only what follows is the steady state, whichever cases ran before.
    { auto warm_up = pool.acquire(); }
    const auto before = lg::memory::MemoryProfiler::snapshot();
    for (int i = 0; i < 1000; ++i) {
      auto ctx = pool.acquire();
      ctx->set("batch", i);
      ctx->set("item", i * 2);
    }
    const auto diff = lg::memory::MemoryProfiler::snapshot().diff(before);
    CHECK(diff.allocations == 0);
    CHECK(pool.stats().created == 0);
  }

  TEST_CASE("a new context counts as a context allocation") {
    ContextPool pool;
    const auto before = lg::memory::global_metrics().context_allocations();
    { auto ctx = pool.acquire(); }
    { auto ctx = pool.acquire(); }
    CHECK(lg::memory::global_metrics().context_allocations() == before + 1);
  }

  TEST_CASE("8 threads x 100k acquire/release keep the stats consistent" * doctest::timeout(300)) {
    constexpr int threads = 8;
    constexpr int rounds = 100'000;
    auto pool = std::make_shared<ContextPool>(PoolConfig{.max_pooled = 16});
    std::barrier start(threads);
    std::atomic<int> foreign_contexts{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        start.arrive_and_wait();
        for (int i = 0; i < rounds; ++i) {
          auto ctx = pool->acquire();
          // A context handed to two holders at once would show the other's marker or be non-empty.
          if (!ctx->empty()) {
            foreign_contexts.fetch_add(1);
          }
          ctx->set("holder", t);
          ctx->set("round", i);
          if (ctx->get<int>("holder") != t || ctx->get<int>("round") != i) {
            foreign_contexts.fetch_add(1);
          }
        }
      });
    }
    for (auto& worker : workers) {
      worker.join();
    }
    const auto stats = pool->stats();
    CHECK(foreign_contexts.load() == 0);
    CHECK(stats.total_acquired == std::uint64_t{threads} * rounds);
    CHECK(stats.total_acquired == stats.reused + stats.created);
    CHECK(stats.created <= stats.total_acquired);
    CHECK(pool->size() <= 16);
    CHECK(stats.peak_pool_size <= 16);
  }

  TEST_CASE("leases held by many threads at once are all distinct") {
    constexpr int threads = 4;
    constexpr int per_thread = 50;
    ContextPool pool{{.max_pooled = 64}};
    pool.reserve(64);
    std::vector<std::vector<ContextLease>> held(threads);
    std::barrier all_holding(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          held[t].push_back(pool.acquire());
        }
        all_holding.arrive_and_wait();  // every lease is live here
      });
    }
    for (auto& worker : workers) {
      worker.join();
    }
    std::set<lg::Context*> distinct;
    for (const auto& leases : held) {
      for (const auto& lease : leases) {
        distinct.insert(lease.get());
      }
    }
    CHECK(distinct.size() == threads * per_thread);
  }
}
