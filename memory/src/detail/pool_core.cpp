#include <logic_graph/memory/impl/pool_core.hpp>

#include "detail/pool_shard.hpp"
#include "detail/thread_cache.hpp"

#include <algorithm>
#include <bit>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

namespace lg::memory::detail {
namespace {

constexpr std::size_t max_shards = 64;
// Up-front room per shard; a shard allowed more grows its list only while the pool fills up.
constexpr std::size_t max_reserved_per_shard = 1024;

// A shard should hold several idle objects, or threads would mostly work across shards.
constexpr std::size_t min_objects_per_shard = 8;

std::size_t shard_count_for(std::size_t max_pooled) {
  const std::size_t threads = std::max(2U, std::thread::hardware_concurrency());
  const std::size_t by_size = std::max<std::size_t>(1, max_pooled / min_objects_per_shard);
  return std::min({max_shards, std::bit_ceil(threads), std::bit_floor(by_size)});
}

// Here rather than behind a function in another file: the fast path reads it on every call.
// Constant-initialised and trivially destructible, so reaching it takes no guard.
constinit thread_local ThreadCache this_thread_cache;

}  // namespace

PoolCore::PoolCore(const PoolConfig& config, const PoolObjectOps& ops)
    : config_(config),
      ops_(ops),
      id_(take_pool_id()),
      shard_count_(shard_count_for(config.max_pooled)),
      shards_(std::make_unique<Shard[]>(shard_count_)) {
  // Room for the slots of the threads a pool usually meets, so that binding one does not
  // allocate.
  slots_.reserve(std::max<std::size_t>(8, 2 * std::thread::hardware_concurrency()));
  // max_pooled is split over the shards, so the total can never exceed it.
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    const std::size_t capacity =
        config_.max_pooled / shard_count_ + (i < config_.max_pooled % shard_count_);
    shard.capacity.store(capacity, std::memory_order_relaxed);
    shard.idle.reserve(std::min(capacity, max_reserved_per_shard));
  }
}

PoolCore::~PoolCore() {
  {
    // No thread uses the pool any more, but threads may be ending: the registry lock keeps
    // them from handing objects back while the slots are let go.
    const std::lock_guard registry(thread_cache_registry_mutex());
    const std::lock_guard guard(slots_mutex_);
    for (CacheSlot* slot : slots_) {
      const std::uint32_t count = slot->count.load(std::memory_order_relaxed);
      for (std::uint32_t i = 0; i < count; ++i) {
        ops_.destroy(slot->objects[i]);
      }
      slot->count.store(0, std::memory_order_relaxed);
      slot->hits.store(0, std::memory_order_relaxed);
      slot->budget = 0;
      // Free for the next pool that takes this id on the slot's thread; that thread's next use
      // of it comes after the new pool's construction, so it sees null here, never this pool.
      slot->pool.store(nullptr, std::memory_order_release);
    }
    slots_.clear();
    return_pool_id(id_);
  }
  clear();
}

std::size_t PoolCore::home_index() const noexcept {
  return this_thread_cache.thread_number() & (shard_count_ - 1);
}

PoolCore::Shard& PoolCore::home_shard() const noexcept {
  return shards_[home_index()];
}

void* PoolCore::acquire() {
  if (CacheSlot* slot = this_thread_cache.find(id_, this); slot != nullptr && slot->budget != 0) {
    std::uint32_t count = fresh_count(*slot);
    if (count == 0) {
      count = refill(*slot);
    }
    if (count != 0) {
      slot->count.store(count - 1, std::memory_order_relaxed);
      slot->releases_only = false;
      ++slot->taken_since_drain;
      if (config_.track_stats) {
        bump(slot->hits);
      }
      return slot->objects[count - 1];
    }
  }
  Shard& home = home_shard();
  if (void* object = take_idle(home)) {
    return object;
  }
  void* object = ops_.create(config_.initial_capacity);
  if (config_.track_stats) {
    std::lock_guard guard(home.lock);
    bump(home.created);
  }
  return object;
}

void* PoolCore::take_idle(Shard& home) noexcept {
  const bool track = config_.track_stats;
  {
    std::lock_guard guard(home.lock);
    if (track) {
      bump(home.acquired);
    }
    if (!home.idle.empty()) {
      void* object = home.idle.back();
      home.idle.pop_back();
      home.size.store(home.idle.size(), std::memory_order_relaxed);
      if (track) {
        bump(home.reused);
      }
      return object;
    }
  }
  // Home is empty: take from another shard before creating anything. The quick emptiness check
  // skips shards without taking their locks.
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& other = shards_[i];
    if (&other == &home || other.size.load(std::memory_order_relaxed) == 0) {
      continue;
    }
    std::lock_guard guard(other.lock);
    if (other.idle.empty()) {
      continue;
    }
    void* object = other.idle.back();
    other.idle.pop_back();
    other.size.store(other.idle.size(), std::memory_order_relaxed);
    if (track) {
      bump(other.reused);  // counted where it was found: stats() sums over shards
    }
    return object;
  }
  return nullptr;
}

void PoolCore::release(void* object) noexcept {
  if (object == nullptr) {
    return;
  }
  ops_.reset(object);
  CacheSlot* slot = this_thread_cache.find(id_, this);
  if (slot == nullptr) {
    slot = bind(this_thread_cache);
  }
  if (slot == nullptr || slot->budget == 0) {
    Shard& home = home_shard();
    if (!keep_idle(home, object)) {
      ops_.destroy(object);
    }
    return;
  }
  std::uint32_t count = fresh_count(*slot);
  if (slot->releases_only) {
    // To the shared lists first, where acquiring threads find it; the slot only when they
    // are full, so that the pool still holds max_pooled.
    Shard& home = shards_[slot->shard];
    if (push(home, object) || push_elsewhere(home, object)) {
      return;
    }
  } else if (count == slot->budget) {
    count = drain(*slot);
  }
  if (count == slot->budget) {  // the slot and every shard are full
    note_discarded(shards_[slot->shard]);
    ops_.destroy(object);
    return;
  }
  slot->objects[count] = object;
  slot->count.store(count + 1, std::memory_order_relaxed);
}

bool PoolCore::keep_idle(Shard& home, void* object) noexcept {
  if (push(home, object) || push_elsewhere(home, object)) {
    return true;
  }
  note_discarded(home);
  return false;
}

bool PoolCore::push_elsewhere(Shard& home, void* object) noexcept {
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& other = shards_[i];
    if (&other != &home &&
        other.size.load(std::memory_order_relaxed) <
            other.capacity.load(std::memory_order_relaxed) &&
        push(other, object)) {
      return true;
    }
  }
  return false;
}

void PoolCore::note_discarded(Shard& home) noexcept {
  if (config_.track_stats) {
    std::lock_guard guard(home.lock);
    bump(home.discarded);
  }
}

bool PoolCore::push(Shard& shard, void* object) noexcept {
  std::size_t new_size = 0;
  {
    std::lock_guard guard(shard.lock);
    if (shard.idle.size() >= shard.capacity.load(std::memory_order_relaxed)) {
      return false;
    }
    try {
      shard.idle.push_back(object);
    } catch (const std::bad_alloc&) {
      return false;  // no room to remember it: the caller destroys it instead
    }
    new_size = shard.idle.size();
    shard.size.store(new_size, std::memory_order_relaxed);
    if (new_size <= shard.peak) {
      return true;
    }
    shard.peak = new_size;
  }
  note_growth();
  return true;
}

// Called only when a shard reaches a size it never had, so at most max_pooled times: the pool's
// peak is sampled then, from every shard's current size.
void PoolCore::note_growth() noexcept {
  const std::size_t total = size();
  std::size_t peak = peak_size_.load(std::memory_order_relaxed);
  while (total > peak &&
         !peak_size_.compare_exchange_weak(peak, total, std::memory_order_relaxed)) {
  }
}

void PoolCore::reserve(std::size_t count) {
  count = std::min(count, config_.max_pooled);
  while (size() < count) {
    void* object = ops_.create(config_.initial_capacity);
    bool kept = false;
    for (std::size_t i = 0; i < shard_count_ && !kept; ++i) {
      kept = push(shards_[i], object);
    }
    if (!kept) {
      ops_.destroy(object);
      return;
    }
  }
}

void PoolCore::clear() noexcept {
  // Other threads' slots cannot be emptied from here without making every take and give-back
  // an atomic read-modify-write: a new generation disowns them instead, and each thread
  // destroys its stale objects when it next uses the pool (or ends, or the pool goes).
  generation_.fetch_add(1, std::memory_order_relaxed);
  if (CacheSlot* slot = this_thread_cache.find(id_, this)) {
    drop_stale(*slot);
  }
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    std::lock_guard guard(shard.lock);
    for (void* object : shard.idle) {
      ops_.destroy(object);
    }
    shard.idle.clear();  // keeps the room, so refilling the shard does not allocate
    shard.size.store(0, std::memory_order_relaxed);
  }
}

std::size_t PoolCore::size() const noexcept {
  std::size_t total = 0;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    total += shards_[i].size.load(std::memory_order_relaxed);
  }
  const std::uint64_t generation = generation_.load(std::memory_order_relaxed);
  const std::lock_guard guard(slots_mutex_);
  for (const CacheSlot* slot : slots_) {
    if (slot->generation.load(std::memory_order_relaxed) == generation) {
      total += slot->count.load(std::memory_order_relaxed);
    }
  }
  return total;
}

PoolStats PoolCore::stats() const noexcept {
  PoolStats stats;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    const Shard& shard = shards_[i];
    // acquired first: a concurrent acquire can then only make reused + created lag behind it.
    stats.total_acquired += shard.acquired.load(std::memory_order_relaxed);
    stats.reused += shard.reused.load(std::memory_order_relaxed);
    stats.created += shard.created.load(std::memory_order_relaxed);
    stats.discarded += shard.discarded.load(std::memory_order_relaxed);
  }
  {
    const std::lock_guard guard(slots_mutex_);
    std::uint64_t hits = retired_hits_;
    for (const CacheSlot* slot : slots_) {
      hits += slot->hits.load(std::memory_order_relaxed);
    }
    stats.total_acquired += hits;
    stats.reused += hits;
  }
  stats.current_pool_size = size();
  stats.peak_pool_size =
      std::max(peak_size_.load(std::memory_order_relaxed), stats.current_pool_size);
  return stats;
}

}  // namespace lg::memory::detail
