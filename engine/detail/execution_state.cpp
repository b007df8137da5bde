#include <logic_graph/engine/detail/execution_state.hpp>

namespace lg::detail {

ExecutionState::ExecutionState(std::size_t count)
    : node_count(count),
      pending(std::make_unique<std::atomic<std::uint32_t>[]>(count)),
      active(std::make_unique<std::atomic<std::uint32_t>[]>(count)),
      status(std::make_unique<NodeStatus[]>(count)) {}

void ExecutionState::clear() noexcept {
  completion.reset();
  context.release();
  cancellation = {};
  for (std::size_t i = 0; i < node_count; ++i) {
    active[i].store(0, std::memory_order_relaxed);
    status[i] = NodeStatus::not_run;
  }
  in_flight.store(0, std::memory_order_relaxed);
  stopped.store(false, std::memory_order_relaxed);
  error = nullptr;
  deadline_armed = false;
  finished_parts.store(0, std::memory_order_relaxed);
}

}  // namespace lg::detail
