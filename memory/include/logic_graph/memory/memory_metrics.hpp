#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace lg::memory {

/// Process-wide allocation counters; lock-free, safe from any thread.
///
/// Filled by hand through record_*(), and automatically for every heap allocation when the
/// program links `logic_graph::alloc_counting`. Counted bytes are then the allocator's usable
/// size of each block (what the program really holds), not the size asked for. The counting
/// target batches per thread: another thread's last few dozen events may not show yet.
class MemoryMetrics {
 public:
  constexpr MemoryMetrics() noexcept = default;
  MemoryMetrics(const MemoryMetrics&) = delete;
  MemoryMetrics& operator=(const MemoryMetrics&) = delete;

  /// One allocation of `bytes`.
  void record_alloc(std::size_t bytes) noexcept { record(1, 0, bytes, 0); }
  /// One deallocation of `bytes`.
  void record_dealloc(std::size_t bytes) noexcept { record(0, 1, 0, bytes); }
  /// One context created (the pool's misses and every Context built by hand).
  void record_context_alloc() noexcept { contexts_.fetch_add(1, std::memory_order_relaxed); }
  /// Many events at once (the counting target flushes its per-thread batches through this).
  void record(std::uint64_t allocations, std::uint64_t deallocations, std::uint64_t bytes_allocated,
              std::uint64_t bytes_freed) noexcept;

  [[nodiscard]] std::uint64_t total_allocations() const noexcept { return load(allocations_); }
  [[nodiscard]] std::uint64_t total_deallocations() const noexcept { return load(deallocations_); }
  [[nodiscard]] std::uint64_t context_allocations() const noexcept { return load(contexts_); }
  /// Bytes ever allocated.
  [[nodiscard]] std::uint64_t total_bytes() const noexcept { return load(bytes_allocated_); }
  /// Bytes allocated and not yet freed.
  [[nodiscard]] std::uint64_t current_bytes() const noexcept;
  /// Highest current_bytes() seen.
  [[nodiscard]] std::uint64_t peak_bytes() const noexcept { return load(peak_); }
  /// Starts a new peak from the current figure.
  void reset_peak() noexcept;
  /// One line: allocations, deallocations, current, peak and contexts.
  [[nodiscard]] std::string summary() const;

 private:
  static std::uint64_t load(const std::atomic<std::uint64_t>& value) noexcept {
    return value.load(std::memory_order_relaxed);
  }

  std::atomic<std::uint64_t> allocations_{0};
  std::atomic<std::uint64_t> deallocations_{0};
  std::atomic<std::uint64_t> bytes_allocated_{0};
  std::atomic<std::uint64_t> bytes_freed_{0};
  std::atomic<std::uint64_t> peak_{0};
  std::atomic<std::uint64_t> contexts_{0};
};

/// The process-wide metrics. With the counting target linked, this first folds the calling
/// thread's pending counts in, so a thread always sees its own allocations.
MemoryMetrics& global_metrics() noexcept;

/// Heap allocations made by the calling thread so far (0 without the counting target): cheap
/// enough to read around every node an executor runs.
[[nodiscard]] std::uint64_t thread_allocation_count() noexcept;

/// Counts one context created in global_metrics() without folding in the calling thread's
/// pending allocation counts first: for hot paths that create contexts.
void record_context_created() noexcept;

/// With the counting target: counts every allocation in global_metrics() at once instead of in
/// per-thread batches, so that figures read on one thread include every other thread's events
/// exactly (one shared atomic per allocation: for tests and measurements, not for production).
void set_exact_counting(bool exact) noexcept;

/// With the counting target: the allocation after the next `after` ones (operator new, from any
/// thread) fails as if the heap had no memory left: the new-handler is asked (see
/// reserve_memory()), and without one it throws std::bad_alloc (null for nothrow forms); later
/// allocations succeed again. For tests of out-of-memory paths.
void inject_allocation_failure(std::uint64_t after) noexcept;
/// Cancels a failure inject_allocation_failure() armed and that has not happened yet.
void clear_allocation_failure() noexcept;

/// True when `logic_graph::alloc_counting` is linked: figures are measured, not only declared.
[[nodiscard]] bool allocation_counting_enabled() noexcept;

}  // namespace lg::memory
