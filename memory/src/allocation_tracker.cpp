#include <logic_graph/memory/allocation_tracker.hpp>

#include <logic_graph/memory/logger.hpp>
#include "detail/format.hpp"

#include <fmt/format.h>

namespace lg::memory {

AllocationTracker::AllocationTracker(std::string name)
    : name_(std::move(name)), start_(MemoryProfiler::snapshot()) {}

AllocationTracker::~AllocationTracker() {
  if (!stopped_) {
    try {
      stop();
    } catch (...) {
      // A destructor must not throw; a failed log line is not worth terminating for.
    }
  }
}

MemoryDiff AllocationTracker::elapsed() const noexcept {
  return MemoryProfiler::snapshot().diff(start_);
}

MemoryDiff AllocationTracker::stop() {
  if (!stopped_) {
    result_ = elapsed();
    stopped_ = true;
    logger()->info(format(name_, result_));
  }
  return result_;
}

std::string AllocationTracker::format(std::string_view name, const MemoryDiff& figures) {
  return fmt::format("[{}] Allocations: {}, Bytes: {} ({} MB), Duration: {}", name,
                     figures.allocations, figures.allocated_bytes,
                     detail::megabytes(static_cast<double>(figures.allocated_bytes)),
                     detail::format_duration(figures.duration));
}

}  // namespace lg::memory
