#pragma once

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/engine/exec/graph_run.hpp>
#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/key_lookup.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

class Node;
class Executor;
class Runtime;

namespace detail {
struct ExecutionState;
class ExecutorCore;
}  // namespace detail

/// What a running node sees: the execution's context to read, and a place for its writes.
///
/// Reads see the node's own writes first, then the context as it was when the node first read
/// it: the input, and the writes and results of every node that had finished (its predecessors
/// always). Nodes that finish while it runs do not change what it reads, and no lock is taken:
/// a value found stays valid until the node ends, across suspensions too.
///
/// Writes are buffered and reach the context when the node finishes, together with its result
/// under its id, so nodes running in parallel never race. A nested() scope buffers its own
/// writes: commit() passes them on to the enclosing scope, and without commit() they vanish (a
/// failed attempt of a retry leaves nothing behind).
class NodeScope final : public KeyLookup {
 public:
  NodeScope(const NodeScope&) = delete;
  NodeScope& operator=(const NodeScope&) = delete;
  /// Moves a scope (into a coroutine frame, say); no nested scope of `other` may be alive.
  NodeScope(NodeScope&& other) noexcept;
  NodeScope& operator=(NodeScope&&) = delete;
  /// A nested scope that was not committed discards its writes.
  ~NodeScope();

  /// The value under `key`: this scope's writes, the enclosing scopes' writes, then the context.
  [[nodiscard]] const nlohmann::json* get(std::string_view key) const noexcept;
  /// A copy of the value under `key` (null when missing).
  [[nodiscard]] nlohmann::json read(std::string_view key) const;
  /// `expression` evaluated against what get() sees.
  [[nodiscard]] nlohmann::json evaluate(const Expression& expression) const;
  /// `expression`'s truth against what get() sees.
  [[nodiscard]] bool test(const Expression& expression) const;
  /// Writes `value` under `key` when the node finishes (when this scope is committed, for a
  /// nested one).
  void set(std::string_view key, nlohmann::json value);
  /// What this scope has written so far.
  [[nodiscard]] const Context& writes() const noexcept;

  /// The running node's id (an inner node's wrapper's id: they share it).
  [[nodiscard]] std::string_view node_id() const noexcept { return node_id_; }
  /// True when the execution is traced (ExecutionOptions::trace): what it reads and returns
  /// is recorded.
  [[nodiscard]] bool traced() const noexcept { return reads_ != nullptr; }
  /// The execution's number, as observers see it.
  [[nodiscard]] std::uint64_t execution_id() const noexcept;

  /// A scope whose writes go to this one only when commit() is called.
  [[nodiscard]] NodeScope nested();
  /// Passes a nested scope's writes on to the enclosing scope (nothing for the node's own
  /// scope, whose writes the executor commits when the node finishes).
  void commit();

  /// Runs `inner` in this scope and waits for its result (inline when it completes inline);
  /// throws NodeError (see to_node_error()) when it fails.
  [[nodiscard]] boost::asio::awaitable<nlohmann::json> run(const Node& inner);
  /// Starts `graph` (an Executor on the same runtime) with `input`: runs it on this thread as
  /// far as it goes, so a graph of synchronous nodes is finished on return. Its context is its
  /// own; this node's writes are untouched.
  [[nodiscard]] GraphRun start_graph(const Executor& graph, nlohmann::json input) const;
  /// start_graph(), then waits for the execution; throws its ExecutionError when it fails.
  [[nodiscard]] boost::asio::awaitable<ExecutionResult> run_graph(const Executor& graph,
                                                                  nlohmann::json input) const;

  /// Tells the execution's observers about something in this node's run (ExecutionObserver::
  /// on_node_note): `what` happened, with a number and words that go with it. Costs one test
  /// when nothing observes the execution.
  void note(std::string_view what, std::int64_t value = 0,
            std::string_view detail = {}) const noexcept;

  /// True once the execution is stopping (cancelled, past its deadline, another node failed):
  /// a long synchronous node may look and give up early. Asynchronous nodes' awaits are
  /// cancelled on their own.
  [[nodiscard]] bool stop_requested() const noexcept;
  /// The runtime the execution runs on (its thread pool, context pool, limits).
  [[nodiscard]] Runtime& runtime() const noexcept;
  /// The executor nodes run on (for timers and sockets).
  [[nodiscard]] const boost::asio::any_io_executor& executor() const noexcept;

  /// Keeps `value` beside this node's result until the execution ends, for the nodes that run
  /// after it (kept()): how a family of node types passes on values the context's JSON cannot
  /// carry as they are (the JDM nodes' exact decimals, shared without a copy). Taken when the
  /// node succeeds, with its writes (a nested scope's: when committed); a later call replaces it.
  template <class T>
  void keep(std::shared_ptr<const T> value) noexcept {
    keep_erased(std::move(value), &detail::kept_tag<T>);
  }
  /// The value node `id` kept, once that node has finished; nullptr when it has not, kept
  /// nothing, or kept another type.
  template <class T>
  [[nodiscard]] const T* kept(std::string_view id) const noexcept {
    return static_cast<const T*>(detail::kept_value(*state_, id, &detail::kept_tag<T>));
  }

  /// KeyLookup: as get(); records the key when the execution is traced.
  [[nodiscard]] const nlohmann::json* find(std::string_view key) const noexcept override;

 private:
  friend class detail::ExecutorCore;
  NodeScope(detail::ExecutionState& state, std::string_view node_id, Context& writes,
            std::vector<std::string>* reads) noexcept;
  NodeScope(NodeScope& parent) noexcept;
  [[nodiscard]] std::uint32_t snapshot() const noexcept;
  void keep_erased(std::shared_ptr<const void> value, const void* type) noexcept;

  detail::ExecutionState* state_;
  const Context* context_;
  // Slots of the context published when the node first read it (taken then: a node that
  // reads nothing never touches the context's shared count).
  static constexpr std::uint32_t no_snapshot = static_cast<std::uint32_t>(-1);
  mutable std::uint32_t snapshot_ = no_snapshot;
  Context* writes_;              // where set() writes: the executor's buffer, or own_
  NodeScope* parent_ = nullptr;  // the enclosing scope of a nested one
  ContextLease own_;             // a nested scope's writes, borrowed on its first set()
  std::string_view node_id_;
  std::vector<std::string>* reads_;   // keys read, when the execution is traced
  std::shared_ptr<const void> kept_;  // keep()'s value, until the node succeeds
  const void* kept_type_ = nullptr;
};

}  // namespace lg
