#include <logic_graph/memory/detail/pool_core.hpp>

#include <logic_graph/memory/detail/spin_lock.hpp>

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

// Each thread gets a fixed home shard index (round robin), shared by every pool.
constinit std::atomic<std::size_t> next_slot{0};
// Constant-initialised, so reading it is a plain thread-local load (no initialisation guard).
constinit thread_local std::size_t slot_plus_one = 0;

std::size_t thread_slot() noexcept {
  if (slot_plus_one == 0) {
    slot_plus_one = next_slot.fetch_add(1, std::memory_order_relaxed) + 1;
  }
  return slot_plus_one - 1;
}

// Counters written only under the shard's lock, read by stats() from any thread: a relaxed
// load-and-store costs no atomic read-modify-write.
void bump(std::atomic<std::uint64_t>& counter) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace

struct alignas(64) PoolCore::Shard {
  SpinLock lock;
  std::vector<void*> idle;
  std::size_t capacity = 0;  // this shard's part of max_pooled
  std::size_t peak = 0;      // most idle objects this shard held
  std::atomic<std::size_t> size{0};
  std::atomic<std::uint64_t> acquired{0};
  std::atomic<std::uint64_t> reused{0};
  std::atomic<std::uint64_t> created{0};
  std::atomic<std::uint64_t> discarded{0};
};

PoolCore::PoolCore(const PoolConfig& config, const PoolObjectOps& ops)
    : config_(config),
      ops_(ops),
      shard_count_(shard_count_for(config.max_pooled)),
      shards_(std::make_unique<Shard[]>(shard_count_)) {
  // max_pooled is split over the shards, so the total can never exceed it.
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    shard.capacity = config_.max_pooled / shard_count_ + (i < config_.max_pooled % shard_count_);
    shard.idle.reserve(std::min(shard.capacity, max_reserved_per_shard));
  }
}

PoolCore::~PoolCore() {
  clear();
}

PoolCore::Shard& PoolCore::home_shard() const noexcept {
  return shards_[thread_slot() & (shard_count_ - 1)];
}

void* PoolCore::acquire() {
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
  Shard& home = home_shard();
  if (!keep_idle(home, object)) {
    ops_.destroy(object);
  }
}

bool PoolCore::keep_idle(Shard& home, void* object) noexcept {
  if (push(home, object)) {
    return true;
  }
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& other = shards_[i];
    if (&other != &home && other.size.load(std::memory_order_relaxed) < other.capacity &&
        push(other, object)) {
      return true;
    }
  }
  if (config_.track_stats) {
    std::lock_guard guard(home.lock);
    bump(home.discarded);
  }
  return false;
}

bool PoolCore::push(Shard& shard, void* object) noexcept {
  std::size_t new_size = 0;
  {
    std::lock_guard guard(shard.lock);
    if (shard.idle.size() >= shard.capacity) {
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
  stats.current_pool_size = size();
  stats.peak_pool_size =
      std::max(peak_size_.load(std::memory_order_relaxed), stats.current_pool_size);
  return stats;
}

}  // namespace lg::memory::detail
