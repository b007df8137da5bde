#include <logic_graph/memory/object_pool.hpp>

#include <doctest/doctest.h>

#include "support/counted_buffer.hpp"

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

  TEST_CASE("reuse_rate of an unused pool is zero") {
    lg::memory::ObjectPool<Buffer> pool;
    CHECK(pool.reuse_rate() == 0.0);
    CHECK(pool.config().max_pooled == 100);
  }
}
