#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_run.hpp>
#include <logic_graph/engine/node/node_scope.hpp>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace lg {

/// One node of a graph: built once from its JSON config, then run by any number of executions
/// at once, so starting it must not change the node.
///
/// A node type derives from SyncNode (plain computation: it completes inline and pays for no
/// coroutine frame), from TaskNode (a coroutine that awaits inner nodes, child graphs and now
/// and then Asio, run inline until it really waits), from AsyncNode (I/O written as an Asio
/// coroutine: timers, HTTP, databases), or from Node itself when it decides at run time (a
/// wrapper that completes inline around an inner node that does, and suspends around one that
/// suspends). It is registered in a NodeRegistry.
///
/// @code
/// class Twice final : public lg::Node {  // a wrapper: runs its inner node twice
///  public:
///   Twice(const lg::NodeDef& def, std::unique_ptr<lg::Node> inner)
///       : Node(def, inner->may_suspend()), inner_(std::move(inner)) {}
///
///  protected:
///   lg::NodeRun do_start(lg::NodeScope& scope) const override {
///     lg::NodeRun first = inner_->start(scope);
///     if (!first.ready()) {
///       return both(scope);  // the inner node suspends: so does this one
///     }
///     return inner_->start(scope);
///   }
///
///  private:
///   boost::asio::awaitable<nlohmann::json> both(lg::NodeScope& scope) const {
///     co_await scope.run(*inner_);
///     co_return co_await scope.run(*inner_);
///   }
///   std::unique_ptr<lg::Node> inner_;
/// };
/// @endcode
class Node {
 public:
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// Starts the node in `scope`: its result at once, or an awaitable for it. A synchronous
  /// failure is thrown from here; an asynchronous one from the awaitable.
  NodeRun start(NodeScope& scope) const { return do_start(scope); }

  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  [[nodiscard]] const std::string& type() const noexcept { return type_; }
  /// False when start() always completes inline (the executor then gives the node a scope on
  /// the stack); true when it may return an awaitable.
  [[nodiscard]] bool may_suspend() const noexcept { return may_suspend_; }

 protected:
  Node(const NodeDef& def, bool may_suspend) : Node(def.id, def.type, may_suspend) {}
  Node(std::string id, std::string type, bool may_suspend)
      : id_(std::move(id)), type_(std::move(type)), may_suspend_(may_suspend) {}

  virtual NodeRun do_start(NodeScope& scope) const = 0;

 private:
  std::string id_;
  std::string type_;
  bool may_suspend_;
};

/// A node that computes its result on the calling thread.
class SyncNode : public Node {
 public:
  /// Runs the node; its result is stored in the context under its id.
  nlohmann::json run(NodeScope& scope) const { return do_run(scope); }

 protected:
  explicit SyncNode(const NodeDef& def) : Node(def, false) {}
  SyncNode(std::string id, std::string type) : Node(std::move(id), std::move(type), false) {}
  virtual nlohmann::json do_run(NodeScope& scope) const = 0;

 private:
  NodeRun do_start(NodeScope& scope) const final { return do_run(scope); }
};

/// A node written as a NodeTask: it runs on the thread that starts it until it waits on Asio
/// (a timer, a socket, an Asio coroutine), then goes on where that wait completes. Awaiting an
/// inner node or a child graph that completes inline costs about a call, so this is the way to
/// write wrappers and nodes that run child graphs. Its Asio waits see the execution's
/// cancellation and throw boost::system::system_error (operation_aborted) when it arrives.
class TaskNode : public Node {
 public:
  /// Runs the node; its result is stored in the context under its id.
  NodeTask run(NodeScope& scope) const { return do_run(scope); }

 protected:
  explicit TaskNode(const NodeDef& def) : Node(def, true) {}
  TaskNode(std::string id, std::string type) : Node(std::move(id), std::move(type), true) {}
  virtual NodeTask do_run(NodeScope& scope) const = 0;

 private:
  NodeRun do_start(NodeScope& scope) const final { return do_run(scope); }
};

/// A node whose work waits on I/O; runs as a coroutine on the runtime's threads. Its awaits see
/// the execution's cancellation (a stop, the deadline) through the coroutine's cancellation
/// state, and throw boost::system::system_error (operation_aborted) when it arrives.
class AsyncNode : public Node {
 public:
  /// Runs the node; its result is stored in the context under its id.
  boost::asio::awaitable<nlohmann::json> run(NodeScope& scope) const { return do_run(scope); }

 protected:
  explicit AsyncNode(const NodeDef& def) : Node(def, true) {}
  AsyncNode(std::string id, std::string type) : Node(std::move(id), std::move(type), true) {}
  virtual boost::asio::awaitable<nlohmann::json> do_run(NodeScope& scope) const = 0;

 private:
  NodeRun do_start(NodeScope& scope) const final { return do_run(scope); }
};

}  // namespace lg
