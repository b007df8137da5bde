#include "exec/execution_state.hpp"

#include "exec/executor_core.hpp"

namespace lg::detail {

ExecutionState::ExecutionState(std::size_t count)
    : node_count(count),
      inputs(std::make_unique<std::atomic<std::uint64_t>[]>(count)),
      status(std::make_unique<NodeStatus[]>(count)),
      running(std::make_unique<std::atomic<std::uint8_t>[]>(count)),
      kept(std::make_unique<KeptValue[]>(count)),
      ready(std::make_unique<std::atomic<std::uint32_t>[]>(count)) {}

ExecutionState::~ExecutionState() {
  if (registered) {
    core->unregister_state(*this);
  }
}

void ExecutionState::clear() noexcept {
  completion.reset();  // a handler that was never called (an abandoned execution's)
  context.release();
  cancellation = {};
  cancel_closed.store(false, std::memory_order_relaxed);
  for (std::size_t i = 0; i < node_count; ++i) {
    status[i] = NodeStatus::not_run;
    if (kept[i].ready.load(std::memory_order_relaxed)) {
      kept[i].ready.store(false, std::memory_order_relaxed);
      kept[i].value.reset();
    }
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
  parent_stopped.store(nullptr, std::memory_order_relaxed);
  parent_id = 0;
  error = nullptr;
  finish.store(0, std::memory_order_relaxed);
  outcome = nullptr;
  wake_on_finish = false;
  defer_completion = false;
  deadline_armed = false;
  deadline_by_clock = false;
  finished_parts.store(0, std::memory_order_relaxed);
  deadline.reset();
  budget_bytes.reset();
  observers.clear();
  observed = false;
  traced = false;
  trace.clear();
  trace_nodes.clear();
  // Strands and timers of an outside executor are not kept: that executor may be destroyed
  // before this state is (the runtime's own threads outlive every state).
  const bool keep_io_objects = core != nullptr && core->runtime_state().owns_threads();
  if (!keep_io_objects) {
    deadline_timer.reset();
  }
  if (async_slots) {
    for (std::size_t i = 0; i < node_count; ++i) {
      AsyncSlot& slot = async_slots[i];
      slot.scope.reset();
      if (!slot.writes.empty()) {
        slot.writes.clear();
      }
      slot.result = nullptr;
      slot.reads.clear();
      if (!keep_io_objects) {
        slot.strand.reset();
      }
    }
  }
}

}  // namespace lg::detail
