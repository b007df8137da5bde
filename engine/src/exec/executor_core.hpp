#pragma once

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/memory/memory_budget.hpp>
#include <logic_graph/memory/object_pool.hpp>
#include "exec/execution_state.hpp"
#include "exec/handler_memory.hpp"
#include "exec/plan.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>

namespace lg::detail {

/// Per-thread scratch for running nodes: reused, so a node run allocates nothing of its own.
struct Scratch {
  Context writes{16};
  std::vector<std::uint8_t> edge_active;
  std::vector<std::uint32_t> skipped;
  std::vector<std::uint32_t> ready;
};

/// The executor's machinery: the plan, the pools, and the scheduler that walks the graph.
///
/// Scheduling: a node whose incoming edges are all settled is ready. The thread that finishes a
/// node runs one ready successor itself (no post, no queue) and puts the others in the
/// execution's ready queue; skipped nodes are settled on the spot. Pool threads are asked to
/// help (one post each) only while fewer than the pool's threads work on the execution; every
/// helper drains the queue. `in_flight` counts units of work (ready or running nodes, helpers,
/// the starter); the thread that takes it to zero completes the execution.
class ExecutorCore {
 public:
  ExecutorCore(const GraphDef& graph, const NodeRegistry& registry, ExecutorOptions options);
  ~ExecutorCore();

  ExecutionState& prepare(nlohmann::json input);
  /// Starts `state`; with `caller_works` the calling thread runs nodes until none is ready.
  void launch(ExecutionState& state, boost::asio::cancellation_slot slot, bool caller_works);
  void abandon(ExecutionState& state) noexcept;
  /// Drops one reference on `state`; the last one returns it (and its context) to the pools.
  void drop_ref(ExecutionState& state) noexcept;

  [[nodiscard]] const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
  [[nodiscard]] const Plan& plan() const noexcept { return plan_; }
  [[nodiscard]] ContextPool& contexts() const noexcept { return *contexts_; }
  [[nodiscard]] memory::detail::PoolCore& states() noexcept;

 private:
  static constexpr std::uint32_t no_node = static_cast<std::uint32_t>(-1);

  void push_ready(ExecutionState& state, std::span<const std::uint32_t> nodes);
  bool claim_ready(ExecutionState& state, std::uint32_t& first, std::uint32_t& count);
  std::uint32_t take_slot(ExecutionState& state, std::uint32_t slot);
  void request_helpers(ExecutionState& state, std::uint32_t wanted);
  void post_helper(ExecutionState& state);
  void work_queue(ExecutionState& state);
  /// Runs `node` and the successors it readies first; returns the units to give back.
  std::uint64_t run_chain(ExecutionState& state, std::uint32_t node);
  bool run_sync(ExecutionState& state, std::uint32_t node, Scratch& scratch);
  void start_async(ExecutionState& state, std::uint32_t node);
  boost::asio::awaitable<void> run_async(ExecutionState& state, std::uint32_t node);
  void after_async(ExecutionState& state, std::uint32_t node, std::exception_ptr error);
  bool budget_allows(ExecutionState& state, std::uint32_t node);
  // Stores a finished node's writes and result and evaluates its edges; the caller holds the
  // context lock exclusively.
  void commit_locked(ExecutionState& state, std::uint32_t node, Context& writes,
                     nlohmann::json&& result, std::span<std::uint8_t> edge_active);
  std::uint32_t settle_successors(ExecutionState& state, std::uint32_t node,
                                  std::span<const std::uint8_t> edge_active, Scratch& scratch);
  void finish_one(ExecutionState& state);                  // gives back one unit of work
  void finish_node(ExecutionState& state);                 // gives back a node's unit
  void finish(ExecutionState& state, std::uint64_t what);  // gives back `what` (units, nodes)
  void fail(ExecutionState& state, std::uint32_t node, std::string_view message);
  void stop(ExecutionState& state, std::exception_ptr error);
  void arm_deadline(ExecutionState& state);
  void complete(ExecutionState& state);
  struct NodeStart {
    std::chrono::steady_clock::time_point began;
    std::uint64_t allocations_before = 0;
  };
  /// Tells observers a node starts; what its end event needs (nothing is read unobserved).
  NodeStart start_node(ExecutionState& state, std::uint32_t node);
  void node_event(ExecutionState& state, std::uint32_t node, bool start, NodeStatus status,
                  std::chrono::steady_clock::time_point began, std::uint64_t allocations,
                  std::string_view error);

  Plan plan_;
  ExecutorOptions options_;
  memory::ObjectPool<HandlerBlock> handler_blocks_;  // outlives own_threads_ (declared first)
  std::optional<boost::asio::thread_pool> own_threads_;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<ContextPool> contexts_;
  std::optional<memory::MemoryBudget> budget_;
  memory::ObjectPool<ExecutionState> states_;
  std::atomic<std::uint64_t> next_id_{1};
  std::uint32_t max_helpers_ = 1;  // threads that may work on one execution at once
  bool observed_;
};

}  // namespace lg::detail
