#pragma once

#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/engine/exec/execution_error.hpp>
#include <logic_graph/engine/exec/execution_options.hpp>
#include <logic_graph/engine/exec/execution_result.hpp>
#include <logic_graph/engine/exec/impl/completion.hpp>
#include <logic_graph/engine/exec/impl/idle_wait.hpp>
#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_registry.hpp>
#include <logic_graph/engine/observers/observer.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
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
}  // namespace detail

/// How an Executor runs.
struct ExecutorOptions {
  /// Share this runtime (threads, context pool, limits) with other executors; without it the
  /// executor makes its own from `threads` and `executor`.
  std::shared_ptr<Runtime> runtime{};
  /// Threads of the executor's own runtime (0: one per core). Ignored with `runtime`.
  std::size_t threads = 0;
  /// The executor's own runtime runs on this executor (an io_context's, a thread_pool's)
  /// instead of a pool of its own. Ignored with `runtime`.
  std::optional<boost::asio::any_io_executor> executor{};
  /// Where executions borrow their contexts; the runtime's pool when empty.
  std::shared_ptr<ContextPool> context_pool{};
  /// Told about every execution and node, after the runtime's observers.
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
/// result. Executions, their results and pending completions keep what they need alive, so the
/// Executor may be destroyed while they run (see the README's shutdown rules).
///
/// @code
/// lg::Executor executor{lg::GraphDef::load("graphs/order_flow.json"), lg::builtin_nodes()};
/// nlohmann::json order = {{"order", {{"total", 120}, {"items", 2}}}};
/// lg::ExecutionResult result = executor.run(order);
/// double discount = result.context().get<double>("discount").value_or(0.0);
///
/// // or asynchronously, with any completion token
/// lg::ExecutionResult later = co_await executor.async_execute(order, boost::asio::use_awaitable);
/// @endcode
class Executor {
 public:
  /// Throws GraphError listing every problem of the graph.
  Executor(const GraphDef& graph, const NodeRegistry& registry, ExecutorOptions options = {});
  /// With a runtime of its own, waits for the executions in flight; on a shared runtime they
  /// go on, keeping what they need.
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  /// Starts an execution with `input` (a JSON object: key -> value, or null for none) and
  /// completes `token` with `void(std::exception_ptr, ExecutionResult)`: the error is an
  /// ExecutionError when a node failed, the execution was cancelled, ran out of time or memory,
  /// or was rejected (the result then holds what the execution got to). The handler's
  /// cancellation slot cancels the execution. On one of the runtime's own threads the
  /// execution starts inside this call (its nodes that need not wait run here); elsewhere its
  /// start is posted. The handler never runs inside this call.
  template <class CompletionToken>
  auto async_execute(nlohmann::json input, CompletionToken&& token);
  /// async_execute() with options for this execution (deadline, budget, observers, trace).
  template <class CompletionToken>
  auto async_execute(nlohmann::json input, ExecutionOptions options, CompletionToken&& token);

  /// Runs one execution and waits for it; the calling thread runs nodes too. Asynchronous nodes
  /// and helpers run on the runtime's threads; with an outside io_context that nobody else
  /// runs, the calling thread runs it while it waits. `input` is a JSON object, or null for
  /// none (the default, which unlike an empty object costs no allocation). Throws
  /// ExecutionError when the execution fails, and std::logic_error on one of the runtime's own
  /// threads (from a node, run a child graph with NodeScope::start_graph or run_graph).
  ExecutionResult run(nlohmann::json input = nullptr);
  /// run() with options for this execution.
  ExecutionResult run(nlohmann::json input, const ExecutionOptions& options);

  /// Seed-guide shape: runs with `graph.context` as input and leaves the final context there.
  boost::asio::awaitable<void> execute(Graph& graph);

  /// Executions started and not yet completed.
  [[nodiscard]] std::size_t in_flight() const noexcept;
  /// Cancels every execution in flight (each completes with kind cancelled).
  void cancel_all() noexcept;
  /// Completes `token` (`void()`) once no execution of this executor is in flight.
  template <class CompletionToken>
  auto async_wait_idle(CompletionToken&& token);

  /// The runtime executions run on.
  [[nodiscard]] Runtime& runtime() const noexcept;
  /// The executor nodes run on.
  [[nodiscard]] const boost::asio::any_io_executor& get_executor() const noexcept;
  /// The pool executions borrow contexts from.
  [[nodiscard]] ContextPool& context_pool() const noexcept;
  /// The graph's name.
  [[nodiscard]] const std::string& name() const noexcept;
  [[nodiscard]] std::size_t node_count() const noexcept;

  /// For the engine: the executor's machinery.
  [[nodiscard]] detail::ExecutorCore& core() const noexcept { return *core_; }

 private:
  detail::ExecutorCore* core_;  // shared with executions in flight and their results
};

namespace detail {
// The non-template half of async_execute.
struct ExecutionState;
/// A prepared execution, or null when the runtime rejects it (then `rejection` is set).
ExecutionState* prepare_execution(ExecutorCore& core, nlohmann::json&& input,
                                  const ExecutionOptions* options, std::exception_ptr& rejection);
Completion& completion_of(ExecutionState& state) noexcept;
void abandon_execution(ExecutionState& state) noexcept;
/// `on_executor`: the handler runs on an executor of its own (completes_on_executor).
void launch_execution(ExecutionState& state, boost::asio::cancellation_slot slot, bool on_executor);
const boost::asio::any_io_executor& executor_of(const ExecutorCore& core) noexcept;
IdleWaiters& idle_waiters_of(ExecutorCore& core) noexcept;

template <class Handler>
void initiate_execution(ExecutorCore& core, Handler&& handler, nlohmann::json&& input,
                        const ExecutionOptions* options) {
  std::exception_ptr rejection;
  ExecutionState* state = prepare_execution(core, std::move(input), options, rejection);
  if (state == nullptr) {
    // Never from inside the initiating function: through the handler's executor (or ours).
    const auto executor = boost::asio::get_associated_executor(handler, executor_of(core));
    boost::asio::post(executor, [handler = std::forward<Handler>(handler),
                                 rejection = std::move(rejection)]() mutable {
      std::move(handler)(std::move(rejection), ExecutionResult());
    });
    return;
  }
  auto slot = boost::asio::get_associated_cancellation_slot(handler);
  try {
    completion_of(*state).emplace(std::forward<Handler>(handler));
  } catch (...) {
    abandon_execution(*state);
    throw;
  }
  launch_execution(*state, slot, completes_on_executor<std::decay_t<Handler>>);
}
}  // namespace detail

template <class CompletionToken>
auto Executor::async_execute(nlohmann::json input, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, ExecutionResult)>(
      [core = core_](auto handler, nlohmann::json input) {
        detail::initiate_execution(*core, std::move(handler), std::move(input), nullptr);
      },
      token, std::move(input));
}

template <class CompletionToken>
auto Executor::async_execute(nlohmann::json input, ExecutionOptions options,
                             CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, ExecutionResult)>(
      [core = core_](auto handler, nlohmann::json input, ExecutionOptions options) {
        detail::initiate_execution(*core, std::move(handler), std::move(input), &options);
      },
      token, std::move(input), std::move(options));
}

template <class CompletionToken>
auto Executor::async_wait_idle(CompletionToken&& token) {
  return detail::async_wait_idle(detail::idle_waiters_of(*core_), get_executor(),
                                 std::forward<CompletionToken>(token));
}

}  // namespace lg
