#pragma once

#include <atomic>
#include <cstdint>

namespace lg::memory {
class MemoryMetrics;
}

namespace lg::memory::detail {

/// Folds the calling thread's pending allocation counts into global_metrics().
using FlushHook = void (*)() noexcept;

/// Heap allocations the calling thread has made so far.
using ThreadCountHook = std::uint64_t (*)() noexcept;

/// Called once by the counting target (logic_graph::alloc_counting) when the program starts.
void install_counting_hook(FlushHook flush, ThreadCountHook thread_count) noexcept;

/// The global metrics without the flush global_metrics() does: what the flush itself writes to.
MemoryMetrics& metrics_without_flush() noexcept;

/// Set by set_exact_counting(): the counting target then folds every event in at once.
extern constinit std::atomic<bool> exact_counting;
/// Allocations left before one fails (inject_allocation_failure()); negative: none fails.
extern constinit std::atomic<std::int64_t> allocations_until_failure;

}  // namespace lg::memory::detail
