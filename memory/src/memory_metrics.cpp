#include <logic_graph/memory/memory_metrics.hpp>

#include "detail/counting_hook.hpp"
#include "detail/format.hpp"

#include <fmt/format.h>

namespace lg::memory {
namespace {
// constinit: usable by operator new before any dynamic initialisation has run.
constinit MemoryMetrics metrics;
constinit std::atomic<detail::FlushHook> flush_hook{nullptr};
constinit std::atomic<detail::ThreadCountHook> thread_count_hook{nullptr};
}  // namespace

constinit std::atomic<bool> detail::exact_counting{false};
constinit std::atomic<std::int64_t> detail::allocations_until_failure{-1};

void set_exact_counting(bool exact) noexcept {
  if (const detail::FlushHook flush = flush_hook.load(std::memory_order_acquire)) {
    flush();  // what this thread holds so far
  }
  detail::exact_counting.store(exact, std::memory_order_seq_cst);
}

void inject_allocation_failure(std::uint64_t after) noexcept {
  detail::allocations_until_failure.store(static_cast<std::int64_t>(after),
                                          std::memory_order_seq_cst);
}

void clear_allocation_failure() noexcept {
  detail::allocations_until_failure.store(-1, std::memory_order_seq_cst);
}

void detail::install_counting_hook(FlushHook flush, ThreadCountHook thread_count) noexcept {
  thread_count_hook.store(thread_count, std::memory_order_release);
  flush_hook.store(flush, std::memory_order_release);
}

MemoryMetrics& detail::metrics_without_flush() noexcept {
  return metrics;
}

void record_context_created() noexcept {
  metrics.record_context_alloc();
}

MemoryMetrics& global_metrics() noexcept {
  if (const detail::FlushHook flush = flush_hook.load(std::memory_order_acquire)) {
    flush();
  }
  return metrics;
}

std::uint64_t thread_allocation_count() noexcept {
  const detail::ThreadCountHook count = thread_count_hook.load(std::memory_order_acquire);
  return count == nullptr ? 0 : count();
}

bool allocation_counting_enabled() noexcept {
  return flush_hook.load(std::memory_order_acquire) != nullptr;
}

void MemoryMetrics::record(std::uint64_t allocations, std::uint64_t deallocations,
                           std::uint64_t bytes_allocated, std::uint64_t bytes_freed) noexcept {
  constexpr auto relaxed = std::memory_order_relaxed;
  if (allocations != 0) {
    allocations_.fetch_add(allocations, relaxed);
  }
  if (deallocations != 0) {
    deallocations_.fetch_add(deallocations, relaxed);
  }
  if (bytes_freed != 0) {
    bytes_freed_.fetch_add(bytes_freed, relaxed);
  }
  if (bytes_allocated != 0) {
    const std::uint64_t allocated =
        bytes_allocated_.fetch_add(bytes_allocated, relaxed) + bytes_allocated;
    const std::uint64_t freed = bytes_freed_.load(relaxed);
    const std::uint64_t in_use = allocated > freed ? allocated - freed : 0;
    std::uint64_t peak = peak_.load(relaxed);
    while (in_use > peak && !peak_.compare_exchange_weak(peak, in_use, relaxed)) {
    }
  }
}

std::uint64_t MemoryMetrics::current_bytes() const noexcept {
  // Freed is read first: a concurrent allocation can then only make the figure larger, never
  // wrap it below zero.
  const std::uint64_t freed = load(bytes_freed_);
  const std::uint64_t allocated = load(bytes_allocated_);
  return allocated > freed ? allocated - freed : 0;
}

void MemoryMetrics::reset_peak() noexcept {
  peak_.store(current_bytes(), std::memory_order_relaxed);
}

std::string MemoryMetrics::summary() const {
  const auto current = current_bytes();
  const auto peak = peak_bytes();
  return fmt::format(
      "Memory: allocations {}, deallocations {}, current {} bytes ({} MB), peak {} bytes ({} MB), "
      "contexts {}",
      total_allocations(), total_deallocations(), current,
      detail::megabytes(static_cast<double>(current)), peak,
      detail::megabytes(static_cast<double>(peak)), context_allocations());
}

}  // namespace lg::memory
