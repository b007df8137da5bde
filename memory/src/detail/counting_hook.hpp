#pragma once

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

}  // namespace lg::memory::detail
