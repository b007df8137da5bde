// What observers and the trace are told about executions and nodes. Nothing here may stop an
// execution: an observer that throws is logged and passed over.

#include "exec/executor_core.hpp"

#include <logic_graph/memory/memory_metrics.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace lg::detail {
namespace {

using Clock = std::chrono::steady_clock;

// Observer exceptions so far: the first few are logged, then one in ten thousand, so that an
// observer that throws on every call cannot flood the log.
std::atomic<std::uint64_t> observer_failures{0};

template <class F>
void tell(ExecutionObserver& observer, F&& f) noexcept {
  try {
    f(observer);
  } catch (...) {
    const std::uint64_t count = observer_failures.fetch_add(1, std::memory_order_relaxed) + 1;
    if (count > 10 && count % 10'000 != 0) {
      return;
    }
    try {
      spdlog::warn("logic_graph: an execution observer threw (ignored; {} so far): {}", count,
                   describe(std::current_exception()));
    } catch (...) {
    }
  }
}

}  // namespace

template <class F>
void ExecutorCore::for_each_observer(const ExecutionState& state, F&& f) const noexcept {
  for (const auto& observer : rt_.observers()) {
    tell(*observer, f);
  }
  for (const auto& observer : options_.observers) {
    tell(*observer, f);
  }
  for (const auto& observer : state.observers) {
    tell(*observer, f);
  }
}

void ExecutorCore::note(const ExecutionState& state, const NodeNote& note) const noexcept {
  for_each_observer(state, [&](ExecutionObserver& o) { o.on_node_note(note); });
}

ExecutorCore::NodeStart ExecutorCore::begin_observed_node(ExecutionState& state, std::uint32_t node,
                                                          RunningLanes::Lane* lane) {
  const Clock::time_point began = Clock::now();
  if (state.observed) {
    const PlanNode& planned = plan_.nodes[node];
    NodeEvent event;
    event.execution_id = state.id;
    event.node_id = planned.node->id();
    event.node_type = planned.node->type();
    event.start = began;
    for_each_observer(state, [&](ExecutionObserver& o) { o.on_node_start(event); });
  }
  return {began, memory::thread_allocation_count(), lane};  // read after observers: the node's
}

void ExecutorCore::end_observed_node(ExecutionState& state, std::uint32_t node, NodeStatus status,
                                     const NodeStart& start, bool counted,
                                     const std::exception_ptr& error,
                                     std::vector<std::string>* reads) noexcept {
  const Clock::time_point now = Clock::now();
  std::string message;
  try {
    message = describe(error);
  } catch (...) {
    message = "out of memory";
  }
  const PlanNode& planned = plan_.nodes[node];
  if (state.observed) {
    NodeEvent event;
    event.execution_id = state.id;
    event.node_id = planned.node->id();
    event.node_type = planned.node->type();
    event.start = start.began;
    event.duration = now - start.began;
    event.status = status;
    if (counted) {
      event.allocations = memory::thread_allocation_count() - start.allocations_before;
    }
    event.error = message;
    for_each_observer(state, [&](ExecutionObserver& o) { o.on_node_end(event); });
  }
  if (state.traced) {
    try {
      NodeTrace entry;
      entry.node_id = planned.node->id();
      entry.status = status;
      entry.start = start.began;
      entry.duration = now - start.began;
      if (reads != nullptr) {
        entry.keys_read = std::move(*reads);
        reads->clear();
      }
      if (status == NodeStatus::executed) {
        if (const nlohmann::json* result = state.context->get(planned.node->id())) {
          entry.result = *result;
        }
      }
      entry.error = std::move(message);
      const std::lock_guard guard(state.trace_mutex);
      state.trace.push_back(std::move(entry));
      state.trace_nodes.push_back(node);
    } catch (...) {
      // No memory for the trace entry: the trace misses it (finalize_trace lists the node).
    }
  }
}

void ExecutorCore::finalize_trace(ExecutionState& state) noexcept {
  try {
    // Every node once, in graph order: the ones that never started get their status only.
    std::vector<bool> seen(plan_.nodes.size(), false);
    for (const std::uint32_t node : state.trace_nodes) {
      seen[node] = true;
    }
    for (std::uint32_t node = 0; node < plan_.nodes.size(); ++node) {
      if (!seen[node]) {
        NodeTrace entry;
        entry.node_id = plan_.nodes[node].node->id();
        entry.status = state.status[node];
        state.trace.push_back(std::move(entry));
        state.trace_nodes.push_back(node);
      }
    }
    std::vector<std::uint32_t> order(state.trace.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return state.trace_nodes[a] < state.trace_nodes[b];
    });
    std::vector<NodeTrace> sorted;
    sorted.reserve(order.size());
    for (const std::uint32_t i : order) {
      sorted.push_back(std::move(state.trace[i]));
    }
    state.trace.swap(sorted);
  } catch (...) {
    // Out of memory: the trace stays in the order the nodes ended.
  }
}

void ExecutorCore::execution_event(ExecutionState& state, bool start, bool failed,
                                   const std::string& error) noexcept {
  ExecutionEvent event;
  event.execution_id = state.id;
  event.parent_execution_id = state.parent_id;
  event.graph_name = plan_.name;
  if (start) {
    event.time = state.started;
    for_each_observer(state, [&](ExecutionObserver& o) { o.on_execution_start(event); });
    return;
  }
  const Clock::time_point now = Clock::now();
  event.time = now;
  event.duration = now - state.started;
  event.succeeded = !failed;
  event.error = error;
  const PoolStats pool = contexts_->stats();
  event.pool_acquired = pool.total_acquired;
  event.pool_reused = pool.reused;
  for_each_observer(state, [&](ExecutionObserver& o) { o.on_execution_end(event); });
}

}  // namespace lg::detail
