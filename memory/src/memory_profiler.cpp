#include <logic_graph/memory/memory_profiler.hpp>

#include <logic_graph/memory/logger.hpp>
#include "detail/format.hpp"

#include <fmt/format.h>

namespace lg::memory {

MemorySnapshot MemoryProfiler::snapshot() noexcept {
  const MemoryMetrics& metrics = global_metrics();
  MemorySnapshot snap;
  snap.allocations = metrics.total_allocations();
  snap.deallocations = metrics.total_deallocations();
  snap.allocated_bytes = metrics.total_bytes();
  snap.current_bytes = metrics.current_bytes();
  snap.peak_bytes = metrics.peak_bytes();
  snap.taken_at = std::chrono::steady_clock::now();
  return snap;
}

MemoryDiff MemorySnapshot::diff(const MemorySnapshot& before) const noexcept {
  const auto delta = [](std::uint64_t after, std::uint64_t earlier) {
    return static_cast<std::int64_t>(after - earlier);
  };
  MemoryDiff result;
  result.allocations = delta(allocations, before.allocations);
  result.deallocations = delta(deallocations, before.deallocations);
  result.bytes = delta(current_bytes, before.current_bytes);
  result.allocated_bytes = allocated_bytes - before.allocated_bytes;
  result.duration =
      std::chrono::duration_cast<std::chrono::nanoseconds>(taken_at - before.taken_at);
  return result;
}

std::string MemoryDiff::format() const {
  return fmt::format("Δ Allocations: {:+}, Δ Bytes: {:+} ({}{} MB), Duration: {}", allocations,
                     bytes, bytes < 0 ? "" : "+", detail::megabytes(static_cast<double>(bytes)),
                     detail::format_duration(duration));
}

void MemoryProfiler::report(std::string_view name, const MemoryDiff& diff) {
  logger()->info("[{}] {}", name, diff.format());
}

}  // namespace lg::memory
