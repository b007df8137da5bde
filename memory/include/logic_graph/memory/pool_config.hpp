#pragma once

#include <cstddef>
#include <cstdint>

namespace lg::memory {

/// How a pool behaves; the defaults are the founding guide's.
struct PoolConfig {
  /// Idle objects kept for reuse, thread caches included: never exceeded, and a release that
  /// finds no room destroys the object. Each thread that uses the pool reserves room for its
  /// own cache (at most 32 objects, and at most max_pooled / 8, or 1 below 8), which only it
  /// can fill. So a release is destroyed only when the pool holds at least max_pooled - R idle
  /// objects, R being the free room of the caches of the other threads still running (and of
  /// caches that clear() emptied and their threads have not used since): exactly max_pooled
  /// when no other thread caches. An ending thread hands its room back.
  std::size_t max_pooled = 100;
  /// Capacity (number of keys) every new object is created with.
  std::size_t initial_capacity = 16;
  /// Count acquisitions, reuses and creations (the counters cost one store each).
  bool track_stats = true;
};

/// A pool's counters. `total_acquired == reused + created` once no acquire is in flight.
struct PoolStats {
  std::uint64_t total_acquired = 0;   ///< acquire() calls
  std::uint64_t reused = 0;           ///< acquisitions served by an idle object
  std::uint64_t created = 0;          ///< acquisitions that had to create an object
  std::uint64_t discarded = 0;        ///< releases that destroyed the object (pool full)
  std::size_t current_pool_size = 0;  ///< idle objects held now
  /// Most idle objects held at once, sampled whenever a shared list reaches a new size (not
  /// when only a thread's cache fills): a lower bound.
  std::size_t peak_pool_size = 0;

  /// reused / total_acquired in percent (0 when nothing was acquired).
  [[nodiscard]] double reuse_rate() const noexcept {
    return total_acquired == 0
               ? 0.0
               : 100.0 * static_cast<double>(reused) / static_cast<double>(total_acquired);
  }
};

}  // namespace lg::memory
