#pragma once

#include <logic_graph/engine/detail/execution_state.hpp>
#include <logic_graph/engine/detail/plan.hpp>
#include <logic_graph/engine/executor.hpp>
#include <logic_graph/memory/memory_budget.hpp>
#include <logic_graph/memory/object_pool.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>

namespace lg::detail {

/// The executor's machinery: the plan, the pools, and the scheduler that walks the graph.
///
/// Scheduling: a node whose incoming edges are all settled is ready. The thread that finishes a
/// node runs one ready successor itself (no post, no queue) and posts the others; skipped nodes
/// are settled on the spot. `in_flight` counts queued and running nodes; the thread that takes
/// it to zero completes the execution.
class ExecutorCore {
 public:
  ExecutorCore(const GraphDef& graph, const NodeRegistry& registry, ExecutorOptions options);
  ~ExecutorCore();

  ExecutionState& prepare(nlohmann::json input);
  void launch(ExecutionState& state, boost::asio::cancellation_slot slot);
  void abandon(ExecutionState& state) noexcept;

  [[nodiscard]] const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
  [[nodiscard]] const Plan& plan() const noexcept { return plan_; }
  [[nodiscard]] ContextPool& contexts() const noexcept { return *contexts_; }
  [[nodiscard]] memory::detail::PoolCore& states() noexcept;

 private:
  static constexpr std::uint32_t no_node = static_cast<std::uint32_t>(-1);

  void post(ExecutionState& state, std::uint32_t node);
  void run_from(ExecutionState& state, std::uint32_t node);
  bool run_sync(ExecutionState& state, std::uint32_t node);
  void start_async(ExecutionState& state, std::uint32_t node);
  boost::asio::awaitable<void> run_async(ExecutionState& state, std::uint32_t node);
  void after_async(ExecutionState& state, std::uint32_t node, std::exception_ptr error);
  bool budget_allows(ExecutionState& state, std::uint32_t node);
  void commit(ExecutionState& state, std::uint32_t node, Context& writes, nlohmann::json&& result,
              std::span<std::uint8_t> edge_active);
  std::uint32_t settle_successors(ExecutionState& state, std::uint32_t node,
                                  std::span<const std::uint8_t> edge_active);
  void finish_one(ExecutionState& state);
  void fail(ExecutionState& state, std::uint32_t node, std::string_view message);
  void stop(ExecutionState& state, std::exception_ptr error);
  void arm_deadline(ExecutionState& state);
  void complete(ExecutionState& state);
  void node_event(ExecutionState& state, std::uint32_t node, bool start, NodeStatus status,
                  std::chrono::steady_clock::time_point began, std::uint64_t allocations,
                  std::string_view error);

  Plan plan_;
  ExecutorOptions options_;
  std::optional<boost::asio::thread_pool> own_threads_;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<ContextPool> contexts_;
  std::optional<memory::MemoryBudget> budget_;
  memory::ObjectPool<ExecutionState> states_;
  std::atomic<std::uint64_t> next_id_{1};
  bool observed_;
};

}  // namespace lg::detail
