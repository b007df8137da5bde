#pragma once

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/engine/observers/observer.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

namespace detail {
struct ExecutionState;
/// Gives up one hold on an execution's state.
void release_execution(ExecutionState& state) noexcept;
/// What a node kept (NodeScope::keep) of type T in `state`, or nullptr.
[[nodiscard]] const void* kept_value(const ExecutionState& state, std::string_view node_id,
                                     const void* type) noexcept;
/// Its address names T for kept values.
template <class T>
inline constexpr char kept_tag = 0;
}  // namespace detail

/// One node's run in a traced execution (ExecutionOptions::trace).
struct NodeTrace {
  std::string_view node_id;  ///< valid while the result is
  NodeStatus status = NodeStatus::not_run;
  std::chrono::steady_clock::time_point start;  ///< unset for nodes that never started
  std::chrono::nanoseconds duration{0};
  std::vector<std::string> keys_read;  ///< top-level context keys, in order, once each
  nlohmann::json result;               ///< executed nodes: a copy of the result
  std::string error;                   ///< failed nodes: what they threw
};

/// What an execution produced: the final context and how each node ended.
///
/// It holds the execution's pooled context (and bookkeeping) without copying it, and keeps
/// alive what reading it needs (the executor's plan), even past the Executor's end; both go
/// back to their pools when the result is destroyed, so keep results only as long as you need
/// them.
class ExecutionResult {
 public:
  ExecutionResult() noexcept = default;
  ExecutionResult(ExecutionResult&& other) noexcept;
  ExecutionResult& operator=(ExecutionResult&& other) noexcept;
  ~ExecutionResult();

  /// The final context: the input keys, every node's writes and each executed node's result
  /// under its id.
  [[nodiscard]] const Context& context() const noexcept;
  /// The final context as one JSON object.
  [[nodiscard]] nlohmann::json to_json() const { return context().to_json(); }
  /// How node `node_id` ended; throws std::out_of_range for an id not in the graph.
  [[nodiscard]] NodeStatus status(std::string_view node_id) const;
  /// The ids of the nodes that ended with `status`, in graph order.
  [[nodiscard]] std::vector<std::string> nodes(NodeStatus status) const;
  /// How many nodes ended with `status`.
  [[nodiscard]] std::size_t count(NodeStatus status) const noexcept;
  /// Every node's run in graph order, when the execution was traced (else empty).
  [[nodiscard]] std::span<const NodeTrace> trace() const noexcept;
  /// The value node `node_id` kept of type T (NodeScope::keep), or nullptr: how a JDM
  /// decision's result is read with its exact decimals (lg::zen::SharedValue).
  template <class T>
  [[nodiscard]] const T* kept(std::string_view node_id) const noexcept {
    return state_ == nullptr
               ? nullptr
               : static_cast<const T*>(detail::kept_value(*state_, node_id, &detail::kept_tag<T>));
  }
  /// The execution's number, as observers saw it.
  [[nodiscard]] std::uint64_t id() const noexcept;
  /// False for a default-constructed or moved-from result.
  explicit operator bool() const noexcept { return state_ != nullptr; }

  /// For the executor: takes over one hold on a finished execution.
  explicit ExecutionResult(detail::ExecutionState* state) noexcept : state_(state) {}

 private:
  void reset() noexcept;

  detail::ExecutionState* state_ = nullptr;
};

}  // namespace lg
