#pragma once

#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/engine/exec/impl/completion.hpp>
#include <logic_graph/engine/node/impl/shared_spin_lock.hpp>
#include <logic_graph/engine/observers/observer.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace lg::detail {

struct Plan;
class ExecutorCore;

inline constexpr std::uint64_t unit = 1;                                  // ExecutionState::work
inline constexpr std::uint64_t node_unit = (std::uint64_t{1} << 32) | 1;  // a node's unit
inline constexpr std::uint64_t units = 0xffff'ffff;                       // low half of work
inline constexpr std::uint64_t inputs_pending = 0xffff'ffff;              // low half of inputs[i]
inline constexpr std::uint64_t inputs_active = std::uint64_t{1} << 32;    // one active edge

/// An asynchronous node's handle for cancellation: its strand and the signal bound to it.
struct AsyncSlot {
  std::optional<boost::asio::strand<boost::asio::any_io_executor>> strand;
  boost::asio::cancellation_signal signal;
  std::uint32_t next = 0;  // the successor its completion runs first (or none)
  bool running = false;    // guarded by ExecutionState::async_mutex
  // Reset by start_async before the coroutine is spawned, then touched only on the strand.
  // A cancellation that reaches the strand before the node's
  // coroutine has begun is not emitted (Asio would throw it out of co_spawn's own frame, past
  // the completion handler); the coroutine sees `cancel_at_start` and ends at once instead.
  bool begun = false;
  bool cancel_at_start = false;
};

/// Everything one execution needs besides the plan. Pooled by the executor and reused, so that
/// starting an execution allocates nothing in steady state.
struct ExecutionState {
  /// Room for a graph of `node_count` nodes.
  explicit ExecutionState(std::size_t node_count);
  /// Makes the state ready for the next execution (the pool calls this on release).
  void clear() noexcept;

  ExecutorCore* core = nullptr;
  std::uint64_t id = 0;
  std::chrono::steady_clock::time_point started;

  std::size_t node_count;
  // Per node: incoming edges not settled yet (low half) and settled as active (high half), in
  // one word so that settling an edge is one read-modify-write.
  std::unique_ptr<std::atomic<std::uint64_t>[]> inputs;
  std::unique_ptr<NodeStatus[]> status;

  ContextLease context;
  SharedSpinLock context_lock;  // shared while nodes read, exclusive while one commits

  // Nodes ready to run, drained by every thread working on the execution. Each node becomes
  // ready at most once, so node_count slots suffice: a slot holds node + 1, 0 until written.
  std::unique_ptr<std::atomic<std::uint32_t>[]> ready;
  std::atomic<std::uint32_t> ready_head{0};
  std::atomic<std::uint32_t> ready_tail{0};
  std::atomic<std::uint32_t> helpers{0};  // pool threads asked to help (posted, not yet left)

  // Work started and not finished, in one word: units (low half: ready or running nodes, a
  // launch, cancellation emits) and how many of them are nodes (high half). The thread that
  // takes the units to zero completes the execution; a node that sees itself as the only node
  // runs without the context lock.
  std::atomic<std::uint64_t> work{0};
  // Holders of the state itself: the execution (then its result), a running launch, helpers.
  std::atomic<std::uint32_t> refs{0};
  std::atomic<bool> stopped{false};
  std::exception_ptr error;  // written once, by whoever set `stopped`

  Completion completion;
  boost::asio::cancellation_slot cancellation;  // the caller's slot, when it has one
  std::mutex cancel_mutex;                      // held by the slot's handler while it runs
  bool cancel_closed = false;  // set (under cancel_mutex) once the execution completes

  std::unique_ptr<AsyncSlot[]> async_slots;  // per node, made when the graph has async nodes
  std::mutex async_mutex;                    // guards the strands' creation against cancel
  std::optional<boost::asio::steady_timer> deadline;
  bool deadline_armed = false;
  // With a deadline armed, the nodes and the timer's wait each finish once; the second to
  // finish completes the execution.
  std::atomic<std::uint8_t> finished_parts{0};
};

}  // namespace lg::detail
