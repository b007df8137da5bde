#pragma once

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/exec/graph_run.hpp>
#include <logic_graph/memory/memory_reserve.hpp>
#include <logic_graph/memory/object_pool.hpp>

#include "exec/execution_state.hpp"
#include "exec/plan.hpp"
#include "exec/runtime_state.hpp"
#include "exec/scratch.hpp"
#include "exec/sharded_count.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace lg::detail {

/// The executor's machinery: the plan, the pool of execution states, and the scheduler that
/// walks the graph. Shared by the Executor handle and every execution alive (in flight, or held
/// by a result): the last of them deletes it.
///
/// Scheduling: a node whose incoming edges are all settled is ready. The thread that finishes a
/// node runs one ready successor itself (no post, no queue) and puts the others in the
/// execution's ready queue; skipped nodes are settled on the spot. Pool threads are asked to
/// help (one post each) while fewer than the runtime's concurrency work on the execution and
/// some thread of the runtime has no engine work; every helper drains the queue. `work` counts
/// units of work (ready or running nodes, the launch, cancellation emits); the thread that takes
/// it to zero completes the execution.
///
/// The member functions live in files by part: executor_core.cpp (life, preparing, cancel-all),
/// scheduler.cpp (launch, ready queue, helpers), node_runner.cpp (running and committing
/// nodes), execution_control.cpp (stop, failure, deadline, completion), child_graph.cpp.
class ExecutorCore {
 public:
  ExecutorCore(const GraphDef& graph, const NodeRegistry& registry, ExecutorOptions options);
  ExecutorCore(const ExecutorCore&) = delete;
  ExecutorCore& operator=(const ExecutorCore&) = delete;

  // ----- life (executor_core.cpp)
  /// The Executor handle lets go; with a runtime of its own, waits for the executions first.
  void release_handle() noexcept;
  /// A prepared execution (one reference, the execution's), or null with `rejection` set when
  /// the runtime does not take it. `child`: started by a node of another execution (not
  /// subject to max_inflight).
  ExecutionState* prepare(nlohmann::json&& input, const ExecutionOptions* options,
                          std::exception_ptr& rejection, bool child = false);
  /// Gives back a prepared execution that never launched.
  void abandon(ExecutionState& state) noexcept;
  /// Drops one reference on `state`; the last one returns it (and its context) to the pools.
  void drop_ref(ExecutionState& state) noexcept;
  void register_state(ExecutionState& state);
  void unregister_state(ExecutionState& state) noexcept;
  [[nodiscard]] std::size_t in_flight() const noexcept;
  void cancel_all() noexcept;
  [[nodiscard]] IdleWaiters& idle_waiters() noexcept { return idle_; }

  // ----- launching and waiting (scheduler.cpp, executor.cpp)
  enum class Launch : std::uint8_t {
    posted,        // helpers posted to the runtime run the nodes
    caller_works,  // the calling thread runs nodes until none is ready (run(), child graphs)
    // async_execute on one of the runtime's threads: the caller works, the deadline is kept by
    // the clock until the launch returns, and a completion within the launch is queued
    // (queue_outcome), never handed over inside it.
    inline_start,
  };
  /// Starts `state`.
  void launch(ExecutionState& state, boost::asio::cancellation_slot slot, Launch how);
  /// How async_execute starts an execution on the calling thread: inline on a runtime thread
  /// (as deep as a few such starts nest), else posted.
  [[nodiscard]] Launch async_launch() const noexcept;
  /// True while this thread is in the inline launch of `state`.
  static bool starting_on_this_thread(const ExecutionState& state) noexcept;
  /// Calls the completion handler of a finished execution with its outcome; the result takes
  /// over the execution's reference.
  static void hand_over(ExecutionState& state);
  /// run(): prepares, launches with the caller working, waits, and hands over the outcome.
  ExecutionResult run(nlohmann::json&& input, const ExecutionOptions* options);
  /// Connects `slot` (a handler's) to the execution: an emit stops it.
  void connect_cancellation(ExecutionState& state, boost::asio::cancellation_slot slot);

  // ----- child graphs (child_graph.cpp)
  /// Starts an execution of this graph for a node of `parent`, running it on the calling thread
  /// as far as it goes.
  GraphRun start_child(nlohmann::json&& input, const ExecutionState& parent);
  /// Installs the handler of a GraphRun::wait() (or completes it, posted, when finished).
  template <class Handler>
  void await_outcome(ExecutionState& state, Handler&& handler);
  /// Posts the outcome to the handler that came after the execution finished.
  void post_outcome(ExecutionState& state);
  /// Queues the outcome for the handler given at the start, when the execution completed inside
  /// its own inline launch: deferred to after the running handler for a handler with an
  /// executor of its own, posted for a plain callback or a future (their caller may be
  /// waiting for it on this very thread, and another thread must be able to run it). False
  /// when it could not be queued.
  bool queue_outcome(ExecutionState& state) noexcept;

  [[nodiscard]] const Plan& plan() const noexcept { return plan_; }
  [[nodiscard]] ContextPool& contexts() const noexcept { return *contexts_; }
  [[nodiscard]] RuntimeState& runtime_state() const noexcept { return rt_; }
  [[nodiscard]] Runtime& runtime() const noexcept { return *runtime_; }
  [[nodiscard]] const boost::asio::any_io_executor& executor() const noexcept {
    return rt_.executor();
  }

  // ----- for the other parts
  void stop(ExecutionState& state, std::exception_ptr error) noexcept;
  /// An inline start's deadline by the clock: true (and the execution stopped) once it passed.
  bool deadline_due(ExecutionState& state) noexcept;
  /// Tells the observers of `state` a node's note (node_events.cpp).
  void note(const ExecutionState& state, const NodeNote& note) const noexcept;

 private:
  friend struct ::lg::detail::ExecutionState;
  friend class ::lg::detail::SlotTaskHost;
  friend class ::lg::GraphRun;
  static constexpr std::uint32_t no_node = static_cast<std::uint32_t>(-1);
  enum class Started : std::uint8_t { done, failed, away };
  // The handlers it posts (tickets.hpp).
  class TicketBase;
  class HelperTicket;
  class AsyncTicket;
  class LeafTicket;
  class CancelTicket;
  class DeadlineTicket;
  class ResumeTicket;
  class FinishTicket;
  class OutcomeTicket;

  ~ExecutorCore();
  /// Drops the core's count of holders (handle and live states); the last deletes it.
  void release() noexcept;
  [[nodiscard]] memory::detail::PoolCore& states() noexcept;

  // ----- scheduler.cpp
  void push_ready(ExecutionState& state, std::span<const std::uint32_t> nodes);
  bool claim_ready(ExecutionState& state, std::uint32_t& first, std::uint32_t& count);
  static std::uint32_t take_slot(ExecutionState& state, std::uint32_t slot);
  void request_helpers(ExecutionState& state, std::uint32_t wanted);
  void post_helper(ExecutionState& state);
  /// A posted helper's work: drains the queue, leaves, comes back for late arrivals.
  void help(ExecutionState& state);
  /// A helper that will never run (its executor shut down): what it was to do is abandoned.
  void abandon_helper(ExecutionState& state) noexcept;
  void work_queue(ExecutionState& state);
  /// Runs `node` and the successors it readies first; returns the units to give back.
  /// `permitted`: the node already holds a place in its concurrency limit.
  std::uint64_t run_chain(ExecutionState& state, std::uint32_t node, bool permitted = false);
  /// run_chain() by a thread that marks its nodes on `lane` (null: in the shared flags).
  std::uint64_t run_chain_on(ExecutionState& state, std::uint32_t node, bool permitted,
                             RunningLanes::Lane* lane);
  /// True when the execution (or the parent of a child graph's) is stopping.
  bool stop_seen(ExecutionState& state) noexcept;
  bool parent_stop_seen(ExecutionState& state, const std::atomic<bool>& parent) noexcept;
  std::uint32_t settle_successors(ExecutionState& state, std::uint32_t node,
                                  std::span<const std::uint8_t> edge_active, Scratch& scratch);

  // ----- node_runner.cpp (fast paths inline below)
  bool budget_allows(ExecutionState& state, std::uint32_t node);
  bool budget_allows_slow(ExecutionState& state, std::uint32_t node);
  /// False when the node must wait for its concurrency limit (its unit is parked with it).
  bool enter_limit(ExecutionState& state, std::uint32_t node);
  /// The node's run is over: hands its place in the limit to the next waiter.
  void leave_limit(ExecutionState& state, std::uint32_t node) noexcept;
  void hand_on_place(std::uint32_t node) noexcept;
  void post_resume(ExecutionState& state, std::uint32_t node);
  /// Runs a node that never suspends, with a scope on the stack; false when it failed.
  bool run_sync(ExecutionState& state, std::uint32_t node, Scratch& scratch,
                RunningLanes::Lane* lane);
  /// A node that may suspend: done (committed inline), failed, or away (its coroutine runs;
  /// its unit went with it).
  Started start_suspendable(ExecutionState& state, std::uint32_t node, Scratch& scratch);
  boost::asio::awaitable<void> run_async(ExecutionState& state, std::uint32_t node,
                                         boost::asio::awaitable<nlohmann::json> work);
  /// Under the execution's async mutex: false when it is stopping (nothing starts); else makes
  /// the slot's strand, resets its start flags and marks it running, cancellable by stop().
  bool mark_running(ExecutionState& state, AsyncSlot& slot);
  /// A leaf or a node's coroutine ended (ran, or thrown away by Asio): not running, and the
  /// signal let go of co_spawn's handler (with its copy of the strand) while the strand exists.
  void coroutine_ended(ExecutionState& state, std::uint32_t node) noexcept;
  void after_async(ExecutionState& state, std::uint32_t node, std::exception_ptr error);
  /// A node that ran away from its start ends: commits `result` (or fails with `error`), then
  /// runs on with its successors.
  void complete_async(ExecutionState& state, std::uint32_t node, std::exception_ptr error,
                      nlohmann::json&& result);

  // ----- task_runner.cpp: TaskNodes' tasks (node_task.hpp)
  /// Runs a task's wait on Asio (`leaf`) on the node's strand with its cancellation; false,
  /// with `error` set, when it does not (the execution is stopping, or no memory).
  bool spawn_leaf(ExecutionState& state, std::uint32_t node, boost::asio::awaitable<void> leaf,
                  std::exception_ptr& error, std::coroutine_handle<> waiting) noexcept;
  static boost::asio::awaitable<void> run_leaf(AsyncSlot& slot, boost::asio::awaitable<void> leaf);
  /// A leaf Asio threw away unrun (the runtime shut down): the node ends, failed, unresumed.
  void leaf_abandoned(ExecutionState& state, std::uint32_t node) noexcept;
  /// The node's task finished after its start returned.
  void task_finished(ExecutionState& state, std::uint32_t node) noexcept;
  /// The finished task's result (the task let go); throws what the task threw.
  static nlohmann::json take_task_result(AsyncSlot& slot);
  /// Stores a finished node's writes and result (under the commit lock unless `alone`), then
  /// evaluates its edges; what the node kept (`scope`'s) becomes visible to the others.
  void commit(ExecutionState& state, std::uint32_t node, NodeScope& scope, Context& writes,
              nlohmann::json&& result, std::span<std::uint8_t> edge_active, bool alone);
  struct NodeStart {
    std::chrono::steady_clock::time_point began;
    std::uint64_t allocations_before = 0;
    RunningLanes::Lane* lane = nullptr;  // where the node is marked running (null: its flag)
  };
  /// Marks the node running and tells observers; what its end event needs.
  NodeStart begin_node(ExecutionState& state, std::uint32_t node, RunningLanes::Lane* lane);
  NodeStart begin_observed_node(ExecutionState& state, std::uint32_t node,
                                RunningLanes::Lane* lane);
  /// Marks the node done and tells observers and the trace; allocations are counted when
  /// `counted` (synchronous nodes: they ran on this thread only).
  void end_node(ExecutionState& state, std::uint32_t node, NodeStatus status,
                const NodeStart& start, bool counted, const std::exception_ptr& error,
                std::vector<std::string>* reads) noexcept;
  void end_observed_node(ExecutionState& state, std::uint32_t node, NodeStatus status,
                         const NodeStart& start, bool counted, const std::exception_ptr& error,
                         std::vector<std::string>* reads) noexcept;

  // ----- execution_control.cpp
  void fail(ExecutionState& state, std::uint32_t node, const std::exception_ptr& error) noexcept;
  /// Stops with a deadline or cancellation error naming the nodes running now.
  void stop_running(ExecutionState& state, ExecutionError::Kind kind,
                    std::string_view reason) noexcept;
  /// Arms the deadline timer; out of memory for it, stops the execution.
  void arm_deadline(ExecutionState& state) noexcept;
  void deadline_passed(ExecutionState& state) noexcept;
  void deadline_part_done(ExecutionState& state) noexcept;
  void finish_one(ExecutionState& state);                  // gives back one unit of work
  void finish_node(ExecutionState& state);                 // gives back a node's unit
  void finish(ExecutionState& state, std::uint64_t what);  // gives back `what` (units, nodes)
  void complete(ExecutionState& state) noexcept;
  void execution_event(ExecutionState& state, bool start, bool failed,
                       const std::string& error) noexcept;
  void finalize_trace(ExecutionState& state) noexcept;
  template <class F>
  void for_each_observer(const ExecutionState& state, F&& f) const noexcept;

  // Declared first: outlives what it owns (threads outlive the states whose strands and timers
  // use them).
  std::shared_ptr<Runtime> runtime_;
  RuntimeState& rt_;
  bool own_runtime_;
  Plan plan_;
  ExecutorOptions options_;
  std::shared_ptr<ContextPool> contexts_;
  std::uint32_t max_helpers_ = 1;  // threads that may work on one execution at once

  std::atomic<std::int64_t> holders_{1};  // the handle and every live state
  ShardedCount running_;                  // executions in flight
  IdleWaiters idle_;
  mutable std::mutex registry_mutex_;
  std::vector<ExecutionState*> registry_;      // every state the pool holds or lent out
  memory::ObjectPool<ExecutionState> states_;  // after the registry: its states unregister
};

// The per-node fast paths: inline, and short when nothing is observed or limited.

inline bool ExecutorCore::budget_allows(ExecutionState& state, std::uint32_t node) {
  if (!state.budget_bytes && !memory::memory_low()) [[likely]] {
    return true;
  }
  return budget_allows_slow(state, node);
}

inline void ExecutorCore::leave_limit(ExecutionState& /*state*/, std::uint32_t node) noexcept {
  if (plan_.nodes[node].limit != nullptr) [[unlikely]] {
    hand_on_place(node);
  }
}

inline bool ExecutorCore::stop_seen(ExecutionState& state) noexcept {
  if (state.stopped.load(std::memory_order_acquire)) {
    return true;
  }
  if (state.deadline_by_clock && deadline_due(state)) [[unlikely]] {
    return true;
  }
  const std::atomic<bool>* parent = state.parent_stopped.load(std::memory_order_acquire);
  return parent != nullptr && parent_stop_seen(state, *parent);
}

inline ExecutorCore::NodeStart ExecutorCore::begin_node(ExecutionState& state, std::uint32_t node,
                                                        RunningLanes::Lane* lane) {
  if (lane != nullptr) {
    lane->node.store(node, std::memory_order_relaxed);
  } else {
    state.running[node].store(1, std::memory_order_relaxed);
  }
  if (!state.observed && !state.traced) [[likely]] {
    return {.began = {}, .allocations_before = 0, .lane = lane};  // no clock, no counter read
  }
  return begin_observed_node(state, node, lane);
}

inline void ExecutorCore::end_node(ExecutionState& state, std::uint32_t node, NodeStatus status,
                                   const NodeStart& start, bool counted,
                                   const std::exception_ptr& error,
                                   std::vector<std::string>* reads) noexcept {
  if (start.lane != nullptr) {
    start.lane->node.store(RunningLanes::idle, std::memory_order_relaxed);
  } else {
    state.running[node].store(0, std::memory_order_relaxed);
  }
  if (!state.observed && !state.traced) [[likely]] {
    return;
  }
  end_observed_node(state, node, status, start, counted, error, reads);
}

template <class Handler>
void ExecutorCore::await_outcome(ExecutionState& state, Handler&& handler) {
  auto slot = boost::asio::get_associated_cancellation_slot(handler);
  state.completion.emplace(std::forward<Handler>(handler));
  connect_cancellation(state, slot);
  if ((state.finish.fetch_or(has_handler, std::memory_order_acq_rel) & finished) != 0) {
    post_outcome(state);  // finished meanwhile: never from inside the initiating function
  }
}

}  // namespace lg::detail
