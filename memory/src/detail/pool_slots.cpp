// A thread's cache slot for a pool: binding it, its budget (its part of max_pooled), refilling it
// from and draining it to its home shard, and handing everything back when the thread ends.

#include "detail/pool_shard.hpp"

#include <algorithm>
#include <mutex>
#include <new>

namespace lg::memory::detail {

// The slow path of a thread's first release to this pool.
CacheSlot* PoolCore::bind(ThreadCache& cache) noexcept {
  // Free: a slot is bound only to the pool holding its id, and find() did not find it bound.
  CacheSlot* slot = cache.slot_for(id_);
  if (slot == nullptr) {
    return nullptr;  // out of memory: uncached, and the next release tries again
  }
  // Before slots_mutex_: a thread's first number is taken under the registry lock, which
  // ranks above slots_mutex_ (see unbind).
  slot->shard = home_index();
  const std::lock_guard guard(slots_mutex_);
  try {
    slots_.push_back(slot);
  } catch (const std::bad_alloc&) {
    return nullptr;  // no caching for this thread; the shared list still works
  }
  slot->generation.store(generation_.load(std::memory_order_relaxed), std::memory_order_relaxed);
  slot->taken_since_drain = 0;
  slot->releases_only = false;
  // A slot without budget stays bound, so the thread does not try again on every release.
  take_budget(*slot);
  slot->pool.store(this, std::memory_order_release);
  return slot;
}

// Moves part of the home shard's share of max_pooled to `slot` (see below for how much), so that
// the shards and the slots together never hold more than max_pooled idle objects. Objects beyond
// the shard's reduced share move along.
void PoolCore::take_budget(CacheSlot& slot) noexcept {
  Shard& home = shards_[slot.shard];
  const std::lock_guard guard(home.lock);
  const std::size_t capacity = home.capacity.load(std::memory_order_relaxed);
  // An eighth, at most a slot's worth: objects in a slot are out of reach of other threads, so
  // slots must not hold much of the pool.
  const auto budget = static_cast<std::uint32_t>(std::min<std::size_t>(
      CacheSlot::max_objects, capacity < 8 ? std::min<std::size_t>(capacity, 1) : capacity / 8));
  home.capacity.store(capacity - budget, std::memory_order_relaxed);
  std::uint32_t count = 0;
  while (home.idle.size() > capacity - budget) {
    slot.objects[count++] = home.idle.back();
    home.idle.pop_back();
  }
  home.size.store(home.idle.size(), std::memory_order_relaxed);
  slot.count.store(count, std::memory_order_relaxed);
  slot.budget = budget;
}

void PoolCore::drop_stale(CacheSlot& slot) noexcept {
  const std::uint32_t count = slot.count.load(std::memory_order_relaxed);
  slot.count.store(0, std::memory_order_relaxed);
  slot.generation.store(generation_.load(std::memory_order_relaxed), std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < count; ++i) {
    ops_.destroy(slot.objects[i]);
  }
}

std::uint32_t PoolCore::refill(CacheSlot& slot) noexcept {
  Shard& home = shards_[slot.shard];
  if (home.size.load(std::memory_order_relaxed) == 0) {
    return 0;  // the caller looks further, one object at a time
  }
  const std::uint32_t wanted = std::max<std::uint32_t>(1, slot.budget / 2);
  std::uint32_t count = 0;
  {
    const std::lock_guard guard(home.lock);
    while (count < wanted && !home.idle.empty()) {
      slot.objects[count++] = home.idle.back();
      home.idle.pop_back();
    }
    home.size.store(home.idle.size(), std::memory_order_relaxed);
  }
  slot.count.store(count, std::memory_order_relaxed);
  return count;
}

std::uint32_t PoolCore::drain(CacheSlot& slot) noexcept {
  const std::uint32_t count = slot.count.load(std::memory_order_relaxed);
  slot.releases_only = slot.taken_since_drain == 0;
  slot.taken_since_drain = 0;
  // Half goes, or everything from a thread that only releases.
  const std::uint32_t target =
      slot.releases_only ? 0 : count - std::max<std::uint32_t>(1, count / 2);
  std::uint32_t left = count;  // objects[0, left) stay in the slot
  Shard& home = shards_[slot.shard];
  bool grew = false;
  bool room_at_home = false;
  {
    const std::lock_guard guard(home.lock);
    const std::size_t capacity = home.capacity.load(std::memory_order_relaxed);
    // Within the room reserved up front, so push_back does not allocate.
    while (left > target && home.idle.size() < capacity &&
           home.idle.size() < home.idle.capacity()) {
      home.idle.push_back(slot.objects[--left]);
    }
    room_at_home = home.idle.size() < capacity;
    home.size.store(home.idle.size(), std::memory_order_relaxed);
    if (home.idle.size() > home.peak) {
      home.peak = home.idle.size();
      grew = true;
    }
  }
  // The reserved room ran out before the shard's share: the list grows (once per new size, so
  // never in a steady state). Stopping here instead left the share unused for good.
  while (left > target && room_at_home && push(home, slot.objects[left - 1])) {
    --left;
  }
  // Home is full: the other shards, one object at a time. What finds no room stays here, so
  // that the slot and the shards together still hold max_pooled when everything is full.
  while (left > target && push_elsewhere(home, slot.objects[left - 1])) {
    --left;
  }
  slot.count.store(left, std::memory_order_relaxed);
  if (grew) {
    note_growth();
  }
  return left;
}

// Lock order: the registry lock (held by the caller), then slots_mutex_, then a shard's lock.
void PoolCore::unbind(CacheSlot& slot) noexcept {
  const std::lock_guard guard(slots_mutex_);
  std::erase(slots_, &slot);
  retired_hits_ += slot.hits.exchange(0, std::memory_order_relaxed);
  std::uint32_t count = fresh_count(slot);
  slot.count.store(0, std::memory_order_relaxed);
  Shard& shard = shards_[slot.shard];
  {
    const std::lock_guard shard_guard(shard.lock);
    shard.capacity.fetch_add(slot.budget, std::memory_order_relaxed);
    // Within capacity (the budget just came back); push_back may still fail to allocate.
    for (; count > 0; --count) {
      try {
        shard.idle.push_back(slot.objects[count - 1]);
      } catch (const std::bad_alloc&) {
        break;
      }
    }
    shard.size.store(shard.idle.size(), std::memory_order_relaxed);
  }
  for (; count > 0; --count) {
    ops_.destroy(slot.objects[count - 1]);
  }
  slot.budget = 0;
  slot.pool.store(nullptr, std::memory_order_release);
}

}  // namespace lg::memory::detail
