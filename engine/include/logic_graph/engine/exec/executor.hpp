#pragma once

#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/engine/exec/execution_error.hpp>
#include <logic_graph/engine/exec/execution_result.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_registry.hpp>
#include <logic_graph/engine/observers/observer.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <vector>

namespace lg {

namespace detail {
class ExecutorCore;
struct ExecutionState;
class Completion;
}  // namespace detail

/// How an Executor runs.
struct ExecutorOptions {
  /// Threads of the executor's own pool (0: one per core). Ignored when `executor` is set.
  std::size_t threads = 0;
  /// Run on this executor (an io_context's, a thread_pool's) instead of an own pool.
  std::optional<boost::asio::any_io_executor> executor{};
  /// Where executions borrow their contexts; an own pool when empty.
  std::shared_ptr<ContextPool> context_pool{};
  /// Told about every execution and node.
  std::vector<std::shared_ptr<ExecutionObserver>> observers{};
  /// Fail an execution (before its next node) when memory in use exceeds this many bytes.
  std::optional<std::uint64_t> memory_budget_bytes{};
  /// Fail an execution that runs longer than this.
  std::optional<std::chrono::nanoseconds> deadline{};
};

/// Seed-guide shape: a graph definition with the context it runs on.
struct Graph {
  GraphDef def;
  Context context;
};

/// Runs one graph, any number of times at once.
///
/// Built once from a GraphDef (validated completely: structure, node types, configs and edge
/// conditions), immutable afterwards. Each execution borrows a context from the pool, writes
/// the input into it, runs every node whose incoming edges are settled (in parallel where
/// independent), stores each node's result under its id and hands the context back with the
/// result.
///
/// @code
/// lg::Executor executor{lg::GraphDef::load("graphs/order_flow.json"), lg::builtin_nodes()};
/// lg::ExecutionResult result = executor.run({{"order", {{"total", 120}, {"items", 2}}}});
/// double discount = result.context().get<double>("discount").value_or(0.0);
///
/// // or asynchronously, with any completion token
/// auto result = co_await executor.async_execute(input, boost::asio::use_awaitable);
/// @endcode
class Executor {
 public:
  /// Throws GraphError listing every problem of the graph.
  Executor(const GraphDef& graph, const NodeRegistry& registry, ExecutorOptions options = {});
  /// Waits for the own thread pool's work. Executions and their results must not outlive it.
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  /// Starts an execution with `input` (a JSON object: key -> value, or null for none) and
  /// completes `token` with
  /// `void(std::exception_ptr, ExecutionResult)`: the error is an ExecutionError when a node
  /// failed or the execution was cancelled or ran out of time. The handler's cancellation slot
  /// cancels the execution.
  template <class CompletionToken>
  auto async_execute(nlohmann::json input, CompletionToken&& token);

  /// Runs one execution and waits for it; the calling thread runs nodes too. Asynchronous nodes
  /// and helpers run on the executor's threads. `input` is a JSON object, or null for none (the
  /// default, which unlike an empty object costs no allocation).
  ExecutionResult run(nlohmann::json input = nullptr);

  /// Seed-guide shape: runs with `graph.context` as input and leaves the final context there.
  boost::asio::awaitable<void> execute(Graph& graph);

  /// The executor nodes run on.
  [[nodiscard]] const boost::asio::any_io_executor& get_executor() const noexcept;
  /// The pool executions borrow contexts from.
  [[nodiscard]] ContextPool& context_pool() const noexcept;
  /// The graph's name.
  [[nodiscard]] const std::string& name() const noexcept;
  [[nodiscard]] std::size_t node_count() const noexcept;

 private:
  std::unique_ptr<detail::ExecutorCore> core_;
};

namespace detail {
// The non-template half of async_execute.
ExecutionState& prepare_execution(ExecutorCore& core, nlohmann::json input);
Completion& completion_of(ExecutionState& state) noexcept;
void abandon_execution(ExecutorCore& core, ExecutionState& state) noexcept;
void launch_execution(ExecutorCore& core, ExecutionState& state,
                      boost::asio::cancellation_slot slot);
const boost::asio::any_io_executor& executor_of(const ExecutorCore& core) noexcept;
}  // namespace detail

}  // namespace lg

#include <logic_graph/engine/exec/impl/completion.hpp>

namespace lg {

template <class CompletionToken>
auto Executor::async_execute(nlohmann::json input, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, ExecutionResult)>(
      [core = core_.get()](auto handler, nlohmann::json input) {
        detail::ExecutionState& state = detail::prepare_execution(*core, std::move(input));
        auto slot = boost::asio::get_associated_cancellation_slot(handler);
        try {
          detail::completion_of(state).emplace(std::move(handler), detail::executor_of(*core));
        } catch (...) {
          detail::abandon_execution(*core, state);
          throw;
        }
        detail::launch_execution(*core, state, slot);
      },
      token, std::move(input));
}

}  // namespace lg
