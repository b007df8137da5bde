#pragma once

#include <logic_graph/memory/memory_profiler.hpp>

#include <string>

namespace lg::memory {

/// Counts the process's allocations from construction to stop() (or destruction) and logs
/// `[name] Allocations: N, Bytes: B (x MB), Duration: d`.
///
/// The figures are process-wide: allocations of other threads in that time count too. `Bytes`
/// is everything allocated in the period (MemoryDiff::allocated_bytes), whatever was freed.
///
/// @code
/// {
///   lg::memory::AllocationTracker tracker{"load"};
///   load_everything();
/// }  // logs [load] Allocations: ..., Bytes: ..., Duration: ...
/// @endcode
class AllocationTracker {
 public:
  explicit AllocationTracker(std::string name);
  ~AllocationTracker();
  AllocationTracker(const AllocationTracker&) = delete;
  AllocationTracker& operator=(const AllocationTracker&) = delete;

  /// Stops, logs once and returns the figures; later calls return the same figures silently.
  MemoryDiff stop();
  /// The figures so far, without stopping.
  [[nodiscard]] MemoryDiff elapsed() const noexcept;
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// `[name] Allocations: N, Bytes: B (x MB), Duration: d`
  [[nodiscard]] static std::string format(std::string_view name, const MemoryDiff& figures);

 private:
  std::string name_;
  MemorySnapshot start_;
  MemoryDiff result_;
  bool stopped_ = false;
};

}  // namespace lg::memory
