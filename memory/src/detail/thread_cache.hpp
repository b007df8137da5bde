#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace lg::memory::detail {

class PoolCore;

/// One thread's cache of idle objects for one pool: the pool's fast path, a small stack that
/// only its thread touches, so taking and giving back need no lock and no atomic
/// read-modify-write. It exchanges objects with the shared lists in batches.
///
/// Other threads read `count` and `generation` (size, stats) and never write the slot, except
/// the pool's destructor and the ending thread itself, which are ordered by the registry lock.
/// PoolCore::clear() from another thread only moves the pool to a new generation: the slot's
/// objects stop counting at once and are destroyed by its thread when it next uses the pool.
///
/// Aligned to a cache line: allocated on its own, it must not share a line with objects that
/// other threads write (a pooled object next to it on the heap would be).
struct alignas(64) CacheSlot {
  static constexpr std::uint32_t max_objects = 32;

  std::atomic<PoolCore*> pool{nullptr};  // bound to; null when free
  std::array<void*, max_objects> objects{};
  std::atomic<std::uint32_t> count{0};  // objects[0, count) are idle, stored by the owner only
  // The pool generation the objects belong to; an older one means the pool was cleared.
  std::atomic<std::uint64_t> generation{0};
  std::atomic<std::uint64_t> hits{0};  // acquisitions served here (each one also a reuse)
  std::uint32_t budget = 0;            // units of max_pooled held: the most objects kept
  std::size_t shard = 0;               // the shard the budget came from and goes back to
  // A thread that only releases (it hands objects on to other threads) keeps nothing: what it
  // cached would be out of their reach. Set when a full slot drains with no take since the
  // last drain; cleared by the thread's next acquire.
  std::uint32_t taken_since_drain = 0;
  bool releases_only = false;
};

/// Every pool's slot for the calling thread: a table indexed by pool id (PoolCore::id(), a
/// small number), so finding a pool's slot costs the same for any number of pools. Slots are
/// created on the thread's first use of an id and kept for the next pool that takes the id;
/// each is allocated on its own, so its address stays valid for the pool's list of slots while
/// the table grows.
///
/// Trivially destructible, so that a constinit thread_local of it needs no guard on the fast
/// path and stays readable while the thread ends (a pool used by another thread_local's
/// destructor, or a static pool destroyed after main's caches, still finds a valid empty
/// table). A hook registered on the thread's first slow path calls end() at thread exit.
class ThreadCache {
 public:
  constexpr ThreadCache() noexcept = default;
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;

  /// The slot bound to `pool` (whose id is `pool_id`), or nullptr: the fast path. A slot bound
  /// to an earlier pool with the same id cannot be found: destroying that pool unbound it.
  [[nodiscard]] CacheSlot* find(std::size_t pool_id, const PoolCore* pool) const noexcept {
    if (pool_id >= table_size_) {
      return nullptr;
    }
    CacheSlot* slot = table_[pool_id];
    return slot != nullptr && slot->pool.load(std::memory_order_acquire) == pool ? slot : nullptr;
  }
  /// The slot for `pool_id`, made (and the table grown) on the first use of that id; nullptr
  /// when that runs out of memory or the thread has ended, and the thread then goes uncached.
  [[nodiscard]] CacheSlot* slot_for(std::size_t pool_id) noexcept;

  /// A small number for this thread, the lowest one no running thread has: pools pick a
  /// thread's home shard from it, so that concurrent threads spread over the shards even when
  /// threads come and go.
  [[nodiscard]] std::size_t thread_number() noexcept {
    if (number_plus_one_ == 0) {
      watch_exit();
      number_plus_one_ = take_thread_number() + 1;
    }
    return number_plus_one_ - 1;
  }

  /// The thread is ending: hands the cached objects back to their pools' shared lists, frees
  /// the slots and returns the thread's number. Later uses of pools on the thread go uncached.
  void end() noexcept;

 private:
  static std::size_t take_thread_number() noexcept;
  /// Registers, once, the thread-exit hook that calls end().
  void watch_exit() noexcept;

  CacheSlot** table_ = nullptr;  // table_[id]: this thread's slot for pool id `id`, or null
  std::size_t table_size_ = 0;
  std::size_t number_plus_one_ = 0;
  bool exit_watched_ = false;
  bool ended_ = false;
};

/// The lowest id no live pool has, for a new pool. Ids are what ThreadCache tables are indexed
/// by, so they stay as small as the number of pools alive at once.
std::size_t take_pool_id();
/// Makes a destroyed pool's id free for the next pool; the caller holds the registry lock.
void return_pool_id(std::size_t id) noexcept;

/// Orders a thread's exit (handing its cached objects back) against the destruction of the
/// pools those objects belong to.
std::mutex& thread_cache_registry_mutex() noexcept;

}  // namespace lg::memory::detail
