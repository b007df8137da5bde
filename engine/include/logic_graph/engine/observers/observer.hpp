#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lg {

/// How a node ended in one execution.
enum class NodeStatus : std::uint8_t {
  not_run,   ///< never reached: the execution stopped first (failure, cancellation, deadline)
  executed,  ///< ran and finished
  skipped,   ///< every incoming edge was inactive
  failed,    ///< ran and threw
};

/// `"executed"`, `"skipped"`, ...
[[nodiscard]] std::string_view to_string(NodeStatus status) noexcept;

/// One execution starting or ending.
struct ExecutionEvent {
  std::uint64_t execution_id = 0;
  std::uint64_t parent_execution_id = 0;  ///< a child graph's: the execution that started it
  std::string_view graph_name;
  std::chrono::steady_clock::time_point time;
  std::chrono::nanoseconds duration{0};  ///< at the end: since the start
  bool succeeded = true;                 ///< at the end
  std::string_view error;                ///< at the end, when it failed
  std::uint64_t pool_acquired = 0;       ///< at the end: the context pool's acquisitions so far
  std::uint64_t pool_reused = 0;         ///< at the end: ... of which served by reuse
};

/// One node starting or ending.
struct NodeEvent {
  std::uint64_t execution_id = 0;
  std::string_view node_id;
  std::string_view node_type;
  std::chrono::steady_clock::time_point start;
  std::chrono::nanoseconds duration{0};     ///< at the end
  NodeStatus status = NodeStatus::not_run;  ///< at the end: executed, failed, or not_run (stopped)
  /// Heap allocations of the node's run (counting target only), for nodes that ran on one thread
  /// from start to end; empty for those that suspended (their code ran on several threads,
  /// between other work).
  std::optional<std::uint64_t> allocations;
  std::string_view error;  ///< at the end, when it failed
};

/// Something a node tells about its own run (NodeScope::note()): a wrapper's attempt, a cache
/// hit, an open circuit.
struct NodeNote {
  std::uint64_t execution_id = 0;
  std::string_view node_id;
  std::string_view what;    ///< what happened: "attempt", "cache_hit", ... (see the node types)
  std::int64_t value = 0;   ///< a number that goes with it: the attempt's number, ...
  std::string_view detail;  ///< words that go with it: the attempt's error, ...
  std::chrono::steady_clock::time_point time;
};

/// Watches executions: derive and override what you need. Called on the executor's threads,
/// concurrently for parallel nodes and executions, so implementations must be thread-safe and
/// quick. An executor without observers reads no clock at all.
class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  virtual void on_execution_start(const ExecutionEvent& /*event*/) {}
  virtual void on_execution_end(const ExecutionEvent& /*event*/) {}
  virtual void on_node_start(const NodeEvent& /*event*/) {}
  virtual void on_node_end(const NodeEvent& /*event*/) {}
  virtual void on_node_note(const NodeNote& /*note*/) {}
};

}  // namespace lg
