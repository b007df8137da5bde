#pragma once

#include <logic_graph/engine/observers/observer.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>

namespace lg {

/// Records every execution and node run as Chrome trace events; the file opens in Perfetto
/// (ui.perfetto.dev), chrome://tracing and Chrome DevTools.
///
/// Each execution's span is drawn with its nodes nested inside it; nodes that ran in parallel
/// get lanes of their own, and executions that did not overlap in time share tracks, so that on
/// every track slices nest or follow each other (viewers drop slices that overlap otherwise).
/// Times are whole microseconds; each node's exact duration is in its `duration_ns` argument.
///
/// @code
/// auto trace = std::make_shared<lg::TraceObserver>();
/// lg::Executor executor{graph, registry, {.observers = {trace}}};
/// executor.run(input);
/// trace->write("trace.json");
/// @endcode
class TraceObserver : public ExecutionObserver {
 public:
  /// Keeps at most `max_events` events; later ones are counted as dropped.
  explicit TraceObserver(std::size_t max_events = 1'000'000);
  ~TraceObserver() override;

  void on_execution_end(const ExecutionEvent& event) override;
  void on_node_end(const NodeEvent& event) override;

  /// `{"traceEvents": [...], "displayTimeUnit": "ns", ...}`
  [[nodiscard]] nlohmann::json to_json() const;
  /// Writes to_json() to `file`; throws std::runtime_error naming the file when it cannot.
  void write(const std::filesystem::path& file) const;
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t dropped() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace lg
