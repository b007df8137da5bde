#include <logic_graph/memory/object_pool.hpp>

#include <doctest/doctest.h>

#include "support/counted_buffer.hpp"

#include <cstddef>
#include <vector>

using Buffer = lg::test::CountedBuffer;

TEST_SUITE("object pool") {
  TEST_CASE(
      "any poolable type: created with the capacity, cleared on release, destroyed with the pool") {
    Buffer::alive = 0;
    Buffer::cleared = 0;
    {
      lg::memory::ObjectPool<Buffer> pool{{.max_pooled = 2, .initial_capacity = 64}};
      {
        auto a = pool.acquire();
        auto b = pool.acquire();
        auto c = pool.acquire();
        CHECK(a->data.capacity() >= 64);
        a->data.push_back(1);
        CHECK(Buffer::alive == 3);
      }
      CHECK(Buffer::cleared == 3);
      CHECK(Buffer::alive == 2);  // the third did not fit max_pooled
      auto again = pool.acquire();
      CHECK(again->data.empty());
      CHECK(again->data.capacity() >= 64);
    }
    CHECK(Buffer::alive == 0);
  }

  TEST_CASE("clear destroys only idle objects") {
    Buffer::alive = 0;
    lg::memory::ObjectPool<Buffer> pool;
    auto held = pool.acquire();
    { auto idle = pool.acquire(); }
    CHECK(Buffer::alive == 2);
    pool.clear();
    CHECK(Buffer::alive == 1);
    CHECK(held);
  }

  TEST_CASE("max_pooled is exact for a thread alone, however large the pool") {
    // Large enough that each shard's share outgrows the room its list reserves up front.
    constexpr std::size_t max_pooled = 4096;
    constexpr std::size_t count = 10'000;
    Buffer::alive = 0;
    lg::memory::ObjectPool<Buffer> pool{{.max_pooled = max_pooled}};
    { auto warm_up = pool.acquire(); }
    std::vector<lg::memory::PoolLease<Buffer>> leases;
    for (std::size_t i = 0; i < count; ++i) {
      leases.push_back(pool.acquire());
    }
    // Two back, one out again: idle objects pile up while the thread keeps taking from its
    // cache, as a thread that both runs work and finishes it does.
    std::vector<lg::memory::PoolLease<Buffer>> held;
    while (leases.size() >= 2) {
      leases.pop_back();
      leases.pop_back();
      held.push_back(pool.acquire());
    }
    held.pop_back();  // the last acquire took one from the full pool: this fills it again
    CHECK(pool.size() == max_pooled);  // of the 5001 that went idle
    // Every object is held, idle or was discarded.
    CHECK(pool.stats().discarded == count - held.size() - max_pooled);
    CHECK(static_cast<std::size_t>(Buffer::alive.load()) == max_pooled + held.size());
  }

  TEST_CASE("reuse_rate of an unused pool is zero") {
    lg::memory::ObjectPool<Buffer> pool;
    CHECK(pool.reuse_rate() == 0.0);
    CHECK(pool.config().max_pooled == 100);
  }
}
