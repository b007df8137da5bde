#include "exec/execution_state.hpp"

namespace lg::detail {

ExecutionState::ExecutionState(std::size_t count)
    : node_count(count),
      inputs(std::make_unique<std::atomic<std::uint64_t>[]>(count)),
      status(std::make_unique<NodeStatus[]>(count)),
      ready(std::make_unique<std::atomic<std::uint32_t>[]>(count)) {}

void ExecutionState::clear() noexcept {
  completion.reset();
  context.release();
  cancellation = {};
  cancel_closed = false;
  for (std::size_t i = 0; i < node_count; ++i) {
    status[i] = NodeStatus::not_run;
  }
  const std::uint32_t used = ready_tail.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < used && i < node_count; ++i) {
    ready[i].store(0, std::memory_order_relaxed);
  }
  ready_head.store(0, std::memory_order_relaxed);
  ready_tail.store(0, std::memory_order_relaxed);
  helpers.store(0, std::memory_order_relaxed);
  work.store(0, std::memory_order_relaxed);
  stopped.store(false, std::memory_order_relaxed);
  error = nullptr;
  deadline_armed = false;
  finished_parts.store(0, std::memory_order_relaxed);
}

}  // namespace lg::detail
