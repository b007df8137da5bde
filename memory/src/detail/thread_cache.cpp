#include "detail/thread_cache.hpp"

#include <logic_graph/memory/impl/pool_core.hpp>

#include <algorithm>
#include <functional>
#include <new>
#include <vector>

namespace lg::memory::detail {
namespace {
// Constant-initialised and trivially destructible, so it outlives every thread's cache.
constinit std::mutex registry_mutex;

// Thread numbers: ended threads' numbers (a min-heap) are handed out before new ones.
struct ThreadNumbers {
  std::vector<std::size_t> returned;
  std::size_t next = 0;
};
ThreadNumbers& thread_numbers() {
  static auto* numbers = new ThreadNumbers;  // never destroyed: threads may end after main
  return *numbers;
}
}  // namespace

std::size_t ThreadCache::take_thread_number() noexcept {
  const std::lock_guard registry(registry_mutex);
  ThreadNumbers& numbers = thread_numbers();
  if (numbers.returned.empty()) {
    return numbers.next++;
  }
  std::pop_heap(numbers.returned.begin(), numbers.returned.end(), std::greater<>{});
  const std::size_t number = numbers.returned.back();
  numbers.returned.pop_back();
  return number;
}

std::mutex& thread_cache_registry_mutex() noexcept {
  return registry_mutex;
}

ThreadCache::~ThreadCache() {
  const std::lock_guard registry(registry_mutex);
  for (CacheSlot& slot : slots_) {
    if (PoolCore* pool = slot.pool.load(std::memory_order_acquire)) {
      pool->unbind(slot);
    }
  }
  if (number_plus_one_ != 0) {
    ThreadNumbers& numbers = thread_numbers();
    try {
      numbers.returned.push_back(number_plus_one_ - 1);
      std::push_heap(numbers.returned.begin(), numbers.returned.end(), std::greater<>{});
    } catch (const std::bad_alloc&) {
      // The number is not reused; a later thread takes a new one.
    }
  }
}

}  // namespace lg::memory::detail
