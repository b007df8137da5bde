#pragma once

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/engine/node/impl/shared_spin_lock.hpp>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace lg {

/// What a running node sees: the execution's context to read, and a place for its writes.
///
/// Writes are buffered and reach the context when the node finishes (together with its result
/// under its id), so nodes running in parallel never race on the context; a node reads its own
/// writes back through get(). A synchronous node may read the context directly for its whole
/// run; an asynchronous node reads through read(), which copies under the context's lock, since
/// other nodes may commit while it is suspended.
class NodeScope {
 public:
  /// The value under `key`: this node's own writes first, then the context. Synchronous nodes
  /// only (the pointer is valid until the node returns).
  [[nodiscard]] const nlohmann::json* get(std::string_view key) const noexcept;
  /// A copy of the value under `key` (null when missing); safe in asynchronous nodes.
  [[nodiscard]] nlohmann::json read(std::string_view key) const;
  /// Writes `value` under `key` when the node finishes.
  void set(std::string_view key, nlohmann::json value) { writes_.set(key, std::move(value)); }

  /// The execution's context (synchronous nodes only, like get()).
  [[nodiscard]] const Context& context() const noexcept { return context_; }
  /// What this node has written so far.
  [[nodiscard]] const Context& writes() const noexcept { return writes_; }
  /// The node's id.
  [[nodiscard]] std::string_view node_id() const noexcept { return node_id_; }

  /// For the executor: a scope over `context` guarded by `lock`, buffering into `writes`.
  NodeScope(const Context& context, detail::SharedSpinLock& lock, Context& writes,
            std::string_view node_id, bool locked_by_caller) noexcept
      : context_(context),
        lock_(lock),
        writes_(writes),
        node_id_(node_id),
        locked_by_caller_(locked_by_caller) {}

 private:
  const Context& context_;
  detail::SharedSpinLock& lock_;
  Context& writes_;
  std::string_view node_id_;
  bool locked_by_caller_;
};

/// One node of a graph: built once from its JSON config, then run by any number of executions
/// at once, so run() must not change the node.
///
/// A node type derives from SyncNode (plain computation: no coroutine frame is paid) or
/// AsyncNode (I/O: timers, HTTP, databases) and is registered in a NodeRegistry.
class Node {
 public:
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  [[nodiscard]] const std::string& type() const noexcept { return type_; }
  [[nodiscard]] bool is_async() const noexcept { return async_; }

 protected:
  Node(std::string id, std::string type, bool async)
      : id_(std::move(id)), type_(std::move(type)), async_(async) {}

 private:
  std::string id_;
  std::string type_;
  bool async_;
};

/// A node that computes its result on the calling thread.
class SyncNode : public Node {
 public:
  /// Runs the node; its result is stored in the context under its id.
  nlohmann::json run(NodeScope& scope) const { return do_run(scope); }

 protected:
  SyncNode(std::string id, std::string type) : Node(std::move(id), std::move(type), false) {}
  virtual nlohmann::json do_run(NodeScope& scope) const = 0;
};

/// A node whose work waits on I/O; runs as a coroutine on the executor's threads.
class AsyncNode : public Node {
 public:
  /// Runs the node; its result is stored in the context under its id.
  boost::asio::awaitable<nlohmann::json> run(NodeScope& scope) const { return do_run(scope); }

 protected:
  AsyncNode(std::string id, std::string type) : Node(std::move(id), std::move(type), true) {}
  virtual boost::asio::awaitable<nlohmann::json> do_run(NodeScope& scope) const = 0;
};

}  // namespace lg
