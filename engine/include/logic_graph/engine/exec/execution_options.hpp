#pragma once

#include <logic_graph/engine/observers/observer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace lg {

/// How one execution runs, beside its Executor's options (these win where both say something).
///
/// @code
/// auto result = executor.run(input, {.deadline = std::chrono::milliseconds(50), .trace = true});
/// for (const lg::NodeTrace& node : result.trace()) { ... }
/// @endcode
struct ExecutionOptions {
  /// Fail the execution (kind deadline) when it runs longer than this.
  std::optional<std::chrono::nanoseconds> deadline{};
  /// Fail the execution (before its next node) when memory in use exceeds this many bytes.
  std::optional<std::uint64_t> memory_budget_bytes{};
  /// Told about this execution and its nodes, after the runtime's and the executor's.
  std::vector<std::shared_ptr<ExecutionObserver>> observers{};
  /// Record every node's run in ExecutionResult::trace(): status, start, duration, the keys it
  /// read and its result (a copy).
  bool trace = false;
};

}  // namespace lg
