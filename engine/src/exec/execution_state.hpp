#pragma once

#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/engine/exec/execution_result.hpp>
#include <logic_graph/engine/exec/impl/completion.hpp>
#include <logic_graph/engine/node/node_scope.hpp>
#include <logic_graph/engine/node/node_task.hpp>
#include <logic_graph/engine/observers/observer.hpp>
#include <logic_graph/memory/impl/spin_lock.hpp>

#include "exec/concurrency_limit.hpp"
#include "exec/running_lanes.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace lg::detail {

using CommitLock = memory::detail::BasicSpinLock<4>;

class ExecutorCore;

inline constexpr std::uint64_t unit = 1;                                  // ExecutionState::work
inline constexpr std::uint64_t node_unit = (std::uint64_t{1} << 32) | 1;  // a node's unit
inline constexpr std::uint64_t units = 0xffff'ffff;                       // low half of work
inline constexpr std::uint64_t inputs_pending = 0xffff'ffff;              // low half of inputs[i]
inline constexpr std::uint64_t inputs_active = std::uint64_t{1} << 32;    // one active edge

// ExecutionState::finish: who has come for the outcome, and whether it is there.
inline constexpr std::uint8_t has_handler = 1;  // a completion handler waits in `completion`
inline constexpr std::uint8_t finished = 2;     // the outcome is set
inline constexpr std::uint8_t abandoned = 4;    // nobody will come: drop it when it finishes

struct ExecutionState;

/// A TaskNode's host (node_task.hpp): its waits on Asio run on the node's strand, bound to the
/// node's cancellation signal; its end completes the node (task_runner.cpp).
class SlotTaskHost final : public TaskHost {
 public:
  bool spawn(boost::asio::awaitable<void> leaf, std::exception_ptr& error,
             std::coroutine_handle<> waiting) noexcept override;
  void finished() noexcept override;

  ExecutionState* state = nullptr;
  std::uint32_t node = 0;
};

/// A node that may suspend: the scope it runs in (which must outlive start()), its writes, and
/// its handle for cancellation (its strand and the signal bound to it).
struct AsyncSlot {
  std::optional<boost::asio::any_io_executor> strand;  // a strand (RuntimeState::make_strand)
  boost::asio::cancellation_signal signal;
  Context writes;
  std::optional<NodeScope> scope;
  std::vector<std::string> reads;  // keys read, when traced
  nlohmann::json result;           // set by the coroutine, committed by its completion
  std::chrono::steady_clock::time_point began;
  std::uint32_t next = 0;
  bool running = false;  // guarded by ExecutionState::async_mutex
  // Reset by start_suspendable under async_mutex before `running` is set (so before stop() can
  // post a cancellation), then touched only on the strand. A cancellation that reaches the strand
  // before the node's coroutine has begun is not emitted (Asio would throw it out of co_spawn's own
  // frame, past the completion handler); the coroutine sees `cancel_at_start` and ends at once
  // instead.
  bool begun = false;
  bool cancel_at_start = false;
  // A TaskNode's task, from its start to its end, and its host.
  std::optional<NodeTask> task;
  SlotTaskHost host;
};

/// What a node kept for the nodes after it (NodeScope::keep): `ready` is published once the
/// value and its type are in place, so that a node may look at any other's at any time.
struct KeptValue {
  std::shared_ptr<const void> value;
  const void* type = nullptr;
  std::atomic<bool> ready{false};
};

/// Everything one execution needs besides the plan. Pooled by the executor and reused, so that
/// starting an execution allocates nothing in steady state.
struct ExecutionState {
  /// Room for a graph of `node_count` nodes.
  explicit ExecutionState(std::size_t node_count);
  /// Leaves its executor's list of states (cancel_all() walks it).
  ~ExecutionState();
  /// Makes the state ready for the next execution (the pool calls this on release).
  void clear() noexcept;

  ExecutorCore* core = nullptr;
  bool registered = false;  // in core's list of states
  bool admitted = false;    // counted by the runtime's admission (not a child graph)
  std::uint64_t id = 0;
  std::uint64_t parent_id = 0;  // a child graph's parent execution
  std::chrono::steady_clock::time_point started;

  std::size_t node_count;
  // Per node: incoming edges not settled yet (low half) and settled as active (high half), in
  // one word so that settling an edge is one read-modify-write.
  std::unique_ptr<std::atomic<std::uint64_t>[]> inputs;
  std::unique_ptr<NodeStatus[]> status;
  // Nodes running now, for messages: suspending nodes and threads without a lane flag them
  // here, the others show theirs on a lane.
  std::unique_ptr<std::atomic<std::uint8_t>[]> running;
  RunningLanes lanes;
  std::unique_ptr<KeptValue[]> kept;  // per node

  ContextLease context;
  // Between committing nodes only, held for the few instructions that publish a node's writes
  // (never across node code); readers take no lock. Few spins: commits are short.
  CommitLock commit_lock;

  // Nodes ready to run, drained by every thread working on the execution. Each node becomes
  // ready at most once, so node_count slots suffice: a slot holds node + 1, 0 until written.
  std::unique_ptr<std::atomic<std::uint32_t>[]> ready;
  std::atomic<std::uint32_t> ready_head{0};
  std::atomic<std::uint32_t> ready_tail{0};
  std::atomic<std::uint32_t> helpers{0};  // threads working on it (posted helpers, a caller)

  // Work started and not finished, in one word: units (low half: ready or running nodes, a
  // launch, cancellation emits) and how many of them are nodes (high half). The thread that
  // takes the units to zero completes the execution; a node that sees itself as the only node
  // commits without the lock.
  std::atomic<std::uint64_t> work{0};
  // Holders of the state itself: the execution (then its result), a running launch, helpers,
  // asynchronous nodes' completions.
  std::atomic<std::uint32_t> refs{0};
  std::atomic<bool> stopped{false};
  std::atomic<const std::atomic<bool>*> parent_stopped{nullptr};  // a child graph's parent's
  std::exception_ptr error;  // written once, by whoever set `stopped` (under async_mutex)

  // The outcome and who takes it: a handler given at the start (async_execute), or one that
  // comes later (run(), GraphRun::wait()); see the bits above.
  Completion completion;
  std::atomic<std::uint8_t> finish{0};
  std::exception_ptr outcome;   // the error, once finished
  bool wake_on_finish = false;  // run() drives an outside io_context: wake its run_one()
  // The handler runs on an executor of its own: a completion inside its inline launch may wait
  // for the running handler to return (ExecutorCore::queue_outcome).
  bool defer_completion = false;
  boost::asio::cancellation_slot cancellation;  // the handler's slot, when it has one
  std::atomic<bool> cancel_closed{false};       // completed: cancellation has no effect

  std::unique_ptr<AsyncSlot[]> async_slots;  // per node, made when the graph has async nodes
  std::mutex async_mutex;                    // guards `running` of slots and `error`
  std::optional<boost::asio::steady_timer> deadline_timer;
  bool deadline_armed = false;
  // An execution started inline on a runtime thread (ExecutorCore::Launch::inline_start) meets
  // its deadline by the clock between nodes and in NodeScope::stop_requested(); the timer is
  // armed (for `deadline_at`) only if it goes on after its launch returns.
  bool deadline_by_clock = false;
  std::chrono::steady_clock::time_point deadline_at{};
  // With a deadline armed, the nodes and the timer's wait each finish once; the second to
  // finish completes the execution.
  std::atomic<std::uint8_t> finished_parts{0};

  std::unique_ptr<LimitWaiter[]> waiters;  // per node, made when the graph has limits

  // What this execution's options asked for.
  std::optional<std::chrono::nanoseconds> deadline;
  std::optional<std::uint64_t> budget_bytes;
  std::vector<std::shared_ptr<ExecutionObserver>> observers;  // the call's own
  bool observed = false;  // any observer at all: runtime's, executor's or the call's
  bool traced = false;
  std::mutex trace_mutex;
  std::vector<NodeTrace> trace;            // in the order nodes ended; sorted by node at completion
  std::vector<std::uint32_t> trace_nodes;  // the node of each entry of `trace`
};

}  // namespace lg::detail
