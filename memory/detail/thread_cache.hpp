#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace lg::memory::detail {

class PoolCore;

/// One thread's cache of one idle object for one pool: the pool's fast path, with no lock and
/// no atomic read-modify-write on release.
///
/// Only the owning thread binds a slot and puts objects in. Other threads only take objects out
/// (PoolCore::clear, with an exchange, which the owner's acquire also uses) or unbind the slot
/// when the pool is destroyed, when no thread may use the pool any more.
struct CacheSlot {
  std::atomic<PoolCore*> pool{nullptr};  // bound to; null when free
  std::atomic<void*> object{nullptr};    // the cached idle object, if any
  std::atomic<std::uint64_t> hits{0};    // acquisitions served here (each one also a reuse)
  // Whether the slot holds one unit of the pool's max_pooled (taken from shard `shard`).
  std::atomic<bool> has_budget{false};
  std::size_t shard = 0;
};

/// Every pool's slot for the calling thread. On thread exit, cached objects go back to their
/// pools' shared lists.
class ThreadCache {
 public:
  constexpr ThreadCache() noexcept = default;
  ~ThreadCache();
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;

  [[nodiscard]] CacheSlot* find(const PoolCore* pool) noexcept {
    for (CacheSlot& slot : slots_) {
      if (slot.pool.load(std::memory_order_acquire) == pool) {
        return &slot;
      }
    }
    return nullptr;
  }
  /// A slot no pool uses, or nullptr: a thread working with more pools than slots caches
  /// for the first ones only.
  [[nodiscard]] CacheSlot* free_slot() noexcept { return find(nullptr); }

  /// A small number for this thread, the lowest one no running thread has: pools pick a
  /// thread's home shard from it, so that concurrent threads spread over the shards even when
  /// threads come and go.
  [[nodiscard]] std::size_t thread_number() noexcept {
    if (number_plus_one_ == 0) {
      number_plus_one_ = take_thread_number() + 1;
    }
    return number_plus_one_ - 1;
  }

 private:
  static std::size_t take_thread_number() noexcept;

  static constexpr std::size_t slot_count = 8;
  std::array<CacheSlot, slot_count> slots_{};
  std::size_t number_plus_one_ = 0;
};

/// Orders a thread's exit (handing its cached objects back) against the destruction of the
/// pools those objects belong to.
std::mutex& thread_cache_registry_mutex() noexcept;

}  // namespace lg::memory::detail
