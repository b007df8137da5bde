#pragma once

// What the pool's two source files share: a shard of the idle objects, and the count of a
// thread's cache slot (pool_core.cpp: the pool and its shards; pool_slots.cpp: threads' slots).

#include <logic_graph/memory/impl/pool_core.hpp>
#include <logic_graph/memory/impl/spin_lock.hpp>

#include "detail/thread_cache.hpp"

#include <atomic>
#include <cstdint>
#include <vector>

namespace lg::memory::detail {

// Counters written only under the shard's lock, read by stats() from any thread: a relaxed
// load-and-store costs no atomic read-modify-write.
inline void bump(std::atomic<std::uint64_t>& counter) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

struct alignas(64) PoolCore::Shard {
  SpinLock lock;
  std::vector<void*> idle;
  // This shard's part of max_pooled, less what thread slots took (changed under the lock,
  // read without it for a quick check).
  std::atomic<std::size_t> capacity{0};
  std::size_t peak = 0;  // most idle objects this shard held
  std::atomic<std::size_t> size{0};
  std::atomic<std::uint64_t> acquired{0};
  std::atomic<std::uint64_t> reused{0};
  std::atomic<std::uint64_t> created{0};
  std::atomic<std::uint64_t> discarded{0};
};

// The slot's object count, after destroying objects left over from before a clear(). Inline:
// acquire's and release's fast paths start with it.
inline std::uint32_t PoolCore::fresh_count(CacheSlot& slot) noexcept {
  if (slot.generation.load(std::memory_order_relaxed) !=
      generation_.load(std::memory_order_relaxed)) {
    drop_stale(slot);
  }
  return slot.count.load(std::memory_order_relaxed);
}

}  // namespace lg::memory::detail
