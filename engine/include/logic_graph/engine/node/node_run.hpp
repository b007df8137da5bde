#pragma once

#include <logic_graph/engine/node/node_task.hpp>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <coroutine>
#include <optional>
#include <utility>

namespace lg {

/// What starting a node gives: its result now (a node that completes inline, with no coroutine
/// frame), a NodeTask not yet run (a TaskNode: run inline by whoever awaits it), or an Asio
/// awaitable that produces it later (an AsyncNode).
///
/// @code
/// lg::NodeRun run = inner->start(scope);
/// if (run.ready()) {
///   return std::move(run).value();  // finished inline
/// }
/// nlohmann::json later = co_await std::move(run).wait();
/// @endcode
class NodeRun {
 public:
  /// Finished: `value` is the node's result.
  NodeRun(nlohmann::json value) noexcept  // NOLINT: a node returns its result as is
      : value_(std::move(value)), ready_(true) {}
  /// Suspended: `later` produces the result.
  NodeRun(boost::asio::awaitable<nlohmann::json> later) noexcept  // NOLINT: as is, too
      : later_(std::move(later)), ready_(false) {}
  /// A task, run by whoever awaits it.
  NodeRun(NodeTask task) noexcept  // NOLINT: as is, too
      : task_(std::move(task)), ready_(false) {}

  /// True when the result is there already.
  [[nodiscard]] bool ready() const noexcept { return ready_; }
  /// The result (ready() only).
  [[nodiscard]] nlohmann::json& value() & noexcept { return value_; }
  [[nodiscard]] nlohmann::json value() && noexcept { return std::move(value_); }
  /// An Asio awaitable for the result: the node's own when it suspended, one that runs its task
  /// or returns the value at once when it is ready().
  [[nodiscard]] boost::asio::awaitable<nlohmann::json> wait() &&;
  /// The task, when the node gave one (taken: the run is left empty).
  [[nodiscard]] std::optional<NodeTask> take_task() noexcept;

  /// In a NodeTask (co_await inner->start(scope)): the value, the task run inline, or the Asio
  /// awaitable awaited through the task's host.
  class Awaiter;
  Awaiter awaiter_in(detail::TaskHost& host) && noexcept;

 private:
  nlohmann::json value_;
  boost::asio::awaitable<nlohmann::json> later_;
  std::optional<NodeTask> task_;
  bool ready_;
};

class NodeRun::Awaiter {
 public:
  Awaiter(NodeRun&& run, detail::TaskHost& host) noexcept : run_(std::move(run)), host_(&host) {}
  [[nodiscard]] bool await_ready() const noexcept { return run_.ready_; }
  bool await_suspend(std::coroutine_handle<> waiting);
  nlohmann::json await_resume();

 private:
  NodeRun run_;
  detail::TaskHost* host_;
  std::optional<NodeTask::Awaiter> task_;
  std::optional<detail::AsioWait<nlohmann::json>> asio_;
};

inline NodeRun::Awaiter NodeRun::awaiter_in(detail::TaskHost& host) && noexcept {
  return Awaiter(std::move(*this), host);
}

}  // namespace lg
