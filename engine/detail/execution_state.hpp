#pragma once

#include <logic_graph/engine/context_pool.hpp>
#include <logic_graph/engine/detail/completion.hpp>
#include <logic_graph/engine/observer.hpp>

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
#include <shared_mutex>
#include <vector>

namespace lg::detail {

struct Plan;
class ExecutorCore;

/// An asynchronous node's handle for cancellation: its strand and the signal bound to it.
struct AsyncSlot {
  std::optional<boost::asio::strand<boost::asio::any_io_executor>> strand;
  boost::asio::cancellation_signal signal;
  bool running = false;  // guarded by ExecutionState::async_mutex
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
  std::unique_ptr<std::atomic<std::uint32_t>[]> pending;  // incoming edges not settled yet
  std::unique_ptr<std::atomic<std::uint32_t>[]> active;   // incoming edges settled as active
  std::unique_ptr<NodeStatus[]> status;

  ContextLease context;
  std::shared_mutex context_lock;  // shared while nodes read, exclusive while one commits

  // Work started and not finished: queued or running nodes, and the deadline timer's wait.
  std::atomic<std::uint32_t> in_flight{0};
  std::atomic<bool> stopped{false};
  std::exception_ptr error;  // written once, by whoever set `stopped`

  Completion completion;
  boost::asio::cancellation_slot cancellation;  // the caller's slot, when it has one

  std::unique_ptr<AsyncSlot[]> async_slots;  // per node, made when the graph has async nodes
  std::mutex async_mutex;                    // guards the strands' creation against cancel
  std::optional<boost::asio::steady_timer> deadline;
  bool deadline_armed = false;
  // With a deadline armed, the nodes and the timer's wait each finish once; the second to
  // finish completes the execution.
  std::atomic<std::uint8_t> finished_parts{0};
};

}  // namespace lg::detail
