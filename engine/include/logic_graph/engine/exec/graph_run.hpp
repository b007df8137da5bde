#pragma once

#include <logic_graph/engine/exec/execution_result.hpp>
#include <logic_graph/engine/node/node_task.hpp>

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace lg {

namespace detail {
struct ExecutionState;
}  // namespace detail

/// A child graph's execution, started from inside a node with NodeScope::start_graph(): already
/// finished when all it ran was synchronous, or running on (awaited with wait()).
///
/// @code
/// lg::GraphRun child = scope.start_graph(*child_executor, input);
/// if (child.ready()) {
///   return child.result().to_json();  // throws the child's ExecutionError if it failed
/// }
/// return finish(std::move(child));     // a coroutine: co_await child.wait()
/// @endcode
class GraphRun {
 public:
  GraphRun() noexcept = default;
  GraphRun(GraphRun&& other) noexcept;
  GraphRun& operator=(GraphRun&& other) noexcept;
  GraphRun(const GraphRun&) = delete;
  GraphRun& operator=(const GraphRun&) = delete;
  /// A run neither taken nor awaited is cancelled; it finishes on its own.
  ~GraphRun();

  /// True when the execution has finished.
  [[nodiscard]] bool ready() const noexcept;
  /// The finished execution's result (ready() only); throws its ExecutionError if it failed.
  [[nodiscard]] ExecutionResult result();
  /// Waits for the execution (done at once when it is ready); throws its ExecutionError if it
  /// failed. Cancelling the wait (the awaiting node's cancellation) cancels the execution.
  [[nodiscard]] boost::asio::awaitable<ExecutionResult> wait();

  /// In a NodeTask (co_await scope.start_graph(...)): the result at once when ready(), else a
  /// wait through the task's host.
  class Awaiter;
  Awaiter awaiter_in(detail::TaskHost& host) && noexcept;

  /// For the executor: takes over a started execution.
  explicit GraphRun(detail::ExecutionState* state) noexcept : state_(state) {}

 private:
  void abandon() noexcept;
  detail::ExecutionState* state_ = nullptr;
};

class GraphRun::Awaiter {
 public:
  Awaiter(GraphRun&& run, detail::TaskHost& host) noexcept : run_(std::move(run)), host_(&host) {}
  [[nodiscard]] bool await_ready() const noexcept { return run_.ready(); }
  bool await_suspend(std::coroutine_handle<> waiting) {
    asio_.emplace(run_.wait(), *host_);
    return asio_->await_suspend(waiting);
  }
  ExecutionResult await_resume() { return asio_ ? asio_->await_resume() : run_.result(); }

 private:
  GraphRun run_;
  detail::TaskHost* host_;
  std::optional<detail::AsioWait<ExecutionResult>> asio_;
};

inline GraphRun::Awaiter GraphRun::awaiter_in(detail::TaskHost& host) && noexcept {
  return Awaiter(std::move(*this), host);
}

}  // namespace lg
