#include "exec/handler_memory.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>

using lg::detail::HandlerAllocator;
using lg::detail::HandlerBlock;

TEST_SUITE("handler memory") {
  TEST_CASE("a small handler's memory comes from the pool and goes back to it") {
    lg::memory::ObjectPool<HandlerBlock> blocks;
    using Small = std::array<std::byte, 64>;
    HandlerAllocator<Small> allocator(blocks);
    Small* first = allocator.allocate(1);
    CHECK(blocks.stats().created == 1);
    allocator.deallocate(first, 1);
    CHECK(blocks.size() == 1);
    // Rebound, as Asio does for its operation type: the same pool serves it.
    HandlerAllocator<long> rebound(allocator);
    CHECK(rebound == allocator);
    long* again = rebound.allocate(2);
    CHECK(static_cast<void*>(again) == static_cast<void*>(first));
    CHECK(blocks.stats().reused == 1);
    rebound.deallocate(again, 2);
  }

  TEST_CASE("a handler larger than a block is allocated on its own") {
    lg::memory::ObjectPool<HandlerBlock> blocks;
    using Large = std::array<std::byte, sizeof(HandlerBlock) + 1>;
    HandlerAllocator<Large> allocator(blocks);
    Large* large = allocator.allocate(1);
    CHECK(blocks.stats().total_acquired == 0);
    allocator.deallocate(large, 1);
    CHECK(blocks.size() == 0);
  }
}
