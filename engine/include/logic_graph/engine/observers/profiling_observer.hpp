#pragma once

#include <logic_graph/engine/observers/observer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lg {

/// Per-node and per-execution figures, gathered from every execution it observes.
///
/// @code
/// auto profile = std::make_shared<lg::ProfilingObserver>();
/// lg::Executor executor{graph, registry, {.observers = {profile}}};
/// ...
/// std::fputs(profile->format().c_str(), stderr);
/// @endcode
class ProfilingObserver : public ExecutionObserver {
 public:
  /// One node's figures.
  struct NodeProfile {
    std::string id;
    std::string type;
    std::uint64_t count = 0;     ///< runs (executed or failed)
    std::uint64_t failures = 0;  ///< runs that failed
    std::chrono::nanoseconds total{0};
    std::chrono::nanoseconds p50{0};
    std::chrono::nanoseconds p99{0};
    std::chrono::nanoseconds max{0};
    /// Heap allocations of all runs (counting target only); empty for a node that suspends,
    /// whose runs are not counted (see NodeEvent::allocations).
    std::optional<std::uint64_t> allocations;
    /// The node's notes (NodeScope::note()) counted by what they say, sorted: a wrapper's
    /// attempts, a cache's hits and misses.
    std::vector<std::pair<std::string, std::uint64_t>> notes;
  };
  /// Everything observed so far.
  struct Report {
    std::vector<NodeProfile> nodes;  ///< in order of first appearance
    std::uint64_t executions = 0;
    std::uint64_t failed_executions = 0;
    std::chrono::nanoseconds latency_p50{0};
    std::chrono::nanoseconds latency_p99{0};
    std::chrono::nanoseconds latency_max{0};
    double pool_reuse_rate = 0.0;  ///< the context pool's, in percent, at the last execution
    std::uint64_t memory_current_bytes = 0;
    std::uint64_t memory_peak_bytes = 0;
  };

  ProfilingObserver();
  ~ProfilingObserver() override;

  void on_execution_end(const ExecutionEvent& event) override;
  void on_node_end(const NodeEvent& event) override;
  void on_node_note(const NodeNote& note) override;

  [[nodiscard]] Report report() const;
  /// The report as a table: one line a node, then latency, pool and memory lines.
  [[nodiscard]] std::string format() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace lg
