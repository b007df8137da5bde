#include "detail/thread_cache.hpp"

#include <logic_graph/memory/impl/pool_core.hpp>

#include <algorithm>
#include <bit>
#include <functional>
#include <new>
#include <vector>

namespace lg::memory::detail {
namespace {
// Constant-initialised and trivially destructible, so it outlives every thread's cache.
constinit std::mutex registry_mutex;

// Small numbers handed out lowest first: returned ones (a min-heap) before new ones. Used under
// the registry lock.
struct LowestFree {
  std::vector<std::size_t> returned;
  std::size_t next = 0;

  std::size_t take() noexcept {
    if (returned.empty()) {
      return next++;
    }
    std::pop_heap(returned.begin(), returned.end(), std::greater<>{});
    const std::size_t number = returned.back();
    returned.pop_back();
    return number;
  }
  void give_back(std::size_t number) noexcept {
    try {
      returned.push_back(number);
      std::push_heap(returned.begin(), returned.end(), std::greater<>{});
    } catch (const std::bad_alloc&) {
      // The number is not reused; a later taker gets a new one.
    }
  }
};

// The table takes whole cache lines, so that no object other threads write shares one with it.
constexpr std::align_val_t table_alignment{64};
constexpr std::size_t table_entries_per_line = 64 / sizeof(CacheSlot*);

void free_table(CacheSlot** table) noexcept {
  if (table != nullptr) {
    ::operator delete(table, table_alignment);
  }
}

// Never destroyed: threads may end, and static pools be destroyed, after main.
LowestFree& thread_numbers() {
  static auto* numbers = new LowestFree;
  return *numbers;
}
LowestFree& pool_ids() {
  static auto* ids = new LowestFree;
  return *ids;
}
}  // namespace

std::size_t ThreadCache::take_thread_number() noexcept {
  const std::lock_guard registry(registry_mutex);
  return thread_numbers().take();
}

std::size_t take_pool_id() {
  const std::lock_guard registry(registry_mutex);
  return pool_ids().take();
}

void return_pool_id(std::size_t id) noexcept {
  pool_ids().give_back(id);
}

std::mutex& thread_cache_registry_mutex() noexcept {
  return registry_mutex;
}

namespace {
// Calls end() when its thread ends. Apart from the cache so that end()'s stores are made to an
// object still alive after them (stores to a dying object in its own destructor may be
// optimised away).
struct ExitHook {
  ThreadCache* cache = nullptr;
  ~ExitHook() {
    if (cache != nullptr) {
      cache->end();
    }
  }
};
}  // namespace

void ThreadCache::watch_exit() noexcept {
  if (exit_watched_) {
    return;
  }
  exit_watched_ = true;
  // Its first use registers its destructor for this thread (glibc takes the memory from
  // calloc, not from operator new).
  static thread_local ExitHook hook;
  hook.cache = this;
}

CacheSlot* ThreadCache::slot_for(std::size_t pool_id) noexcept {
  if (ended_) {
    return nullptr;
  }
  watch_exit();
  if (pool_id >= table_size_) {
    // Doubling: a thread meeting pools one by one grows its table a few times only.
    const std::size_t size =
        std::bit_ceil(std::max({pool_id + 1, 2 * table_size_, table_entries_per_line}));
    auto* table = static_cast<CacheSlot**>(
        ::operator new(size * sizeof(CacheSlot*), table_alignment, std::nothrow));
    if (table == nullptr) {
      return nullptr;
    }
    std::copy_n(table_, table_size_, table);
    std::fill(table + table_size_, table + size, nullptr);
    free_table(table_);
    table_ = table;
    table_size_ = size;
  }
  CacheSlot*& slot = table_[pool_id];
  if (slot == nullptr) {
    slot = new (std::nothrow) CacheSlot;  // stays null when out of memory: a later use retries
  }
  return slot;
}

void ThreadCache::end() noexcept {
  {
    const std::lock_guard registry(registry_mutex);
    for (std::size_t id = 0; id < table_size_; ++id) {
      if (CacheSlot* slot = table_[id]) {
        if (PoolCore* pool = slot->pool.load(std::memory_order_acquire)) {
          pool->unbind(*slot);
        }
      }
    }
    if (number_plus_one_ != 0) {
      thread_numbers().give_back(number_plus_one_ - 1);
    }
  }
  // Unbound, the slots are out of every pool's list: no other thread reaches them any more.
  for (std::size_t id = 0; id < table_size_; ++id) {
    delete table_[id];
  }
  free_table(table_);
  table_ = nullptr;
  table_size_ = 0;
  ended_ = true;
}

}  // namespace lg::memory::detail
