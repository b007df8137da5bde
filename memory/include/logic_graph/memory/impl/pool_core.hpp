#pragma once

#include <logic_graph/memory/pool_config.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace lg::memory::detail {

struct CacheSlot;
class ThreadCache;

/// How the type-erased pool makes, empties and destroys the objects it holds.
struct PoolObjectOps {
  void* (*create)(std::size_t initial_capacity);
  void (*reset)(void* object) noexcept;
  void (*destroy)(void* object) noexcept;
};

/// The pool's mechanism, compiled once for every object type. Each thread first uses its own
/// small cache (see CacheSlot), which trades objects in batches with its home shard of the
/// shared idle list, so threads rarely meet on a lock. A thread finds its cache for the pool by
/// the pool's id, whatever the number of pools.
class PoolCore {
 public:
  PoolCore(const PoolConfig& config, const PoolObjectOps& ops);
  ~PoolCore();
  PoolCore(const PoolCore&) = delete;
  PoolCore& operator=(const PoolCore&) = delete;

  void* acquire();
  void release(void* object) noexcept;
  void reserve(std::size_t count);
  void clear() noexcept;

  [[nodiscard]] PoolStats stats() const noexcept;
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] const PoolConfig& config() const noexcept { return config_; }
  /// A small number no other live pool has: where each thread's cache keeps this pool's slot.
  [[nodiscard]] std::size_t id() const noexcept { return id_; }

  /// Hands `slot`'s objects and budget back to the shared list: its thread is ending.
  void unbind(CacheSlot& slot) noexcept;

 private:
  struct Shard;

  std::size_t home_index() const noexcept;
  Shard& home_shard() const noexcept;
  CacheSlot* bind(ThreadCache& cache) noexcept;
  void take_budget(CacheSlot& slot) noexcept;
  /// Destroys the objects of a slot left over from before a clear().
  void drop_stale(CacheSlot& slot) noexcept;
  std::uint32_t fresh_count(CacheSlot& slot) noexcept;
  /// Moves up to half the slot's budget from the home shard into the empty slot.
  std::uint32_t refill(CacheSlot& slot) noexcept;
  /// Makes room in the full slot by moving up to half of it to the shared lists; returns the
  /// new count (unchanged when they are full too).
  std::uint32_t drain(CacheSlot& slot) noexcept;
  void* take_idle(Shard& home) noexcept;
  bool keep_idle(Shard& home, void* object) noexcept;
  bool push_elsewhere(Shard& home, void* object) noexcept;
  void note_discarded(Shard& home) noexcept;
  bool push(Shard& shard, void* object) noexcept;
  void note_growth() noexcept;

  PoolConfig config_;
  PoolObjectOps ops_;
  std::size_t id_;
  std::size_t shard_count_;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::size_t> peak_size_{0};
  std::atomic<std::uint64_t> generation_{0};  // advanced by clear()

  // The thread slots bound to this pool, and the hits of slots already unbound.
  mutable std::mutex slots_mutex_;
  std::vector<CacheSlot*> slots_;
  std::uint64_t retired_hits_ = 0;
};

}  // namespace lg::memory::detail
