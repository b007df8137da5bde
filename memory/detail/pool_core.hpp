#pragma once

#include <logic_graph/memory/pool_config.hpp>

#include <atomic>
#include <cstddef>
#include <memory>

namespace lg::memory::detail {

/// How the type-erased pool makes, empties and destroys the objects it holds.
struct PoolObjectOps {
  void* (*create)(std::size_t initial_capacity);
  void (*reset)(void* object) noexcept;
  void (*destroy)(void* object) noexcept;
};

/// The pool's mechanism, compiled once for every object type. Idle objects live in shards; a
/// thread goes to its own shard first, so threads rarely meet on a lock.
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

 private:
  struct Shard;

  Shard& home_shard() const noexcept;
  void* take_idle(Shard& home) noexcept;
  bool keep_idle(Shard& home, void* object) noexcept;
  bool push(Shard& shard, void* object) noexcept;
  void note_growth() noexcept;

  PoolConfig config_;
  PoolObjectOps ops_;
  std::size_t shard_count_;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::size_t> peak_size_{0};
};

}  // namespace lg::memory::detail
