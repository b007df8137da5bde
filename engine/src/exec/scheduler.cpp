// The scheduler: launching an execution, its ready queue, and the threads that work on it.

#include "exec/executor_core.hpp"
#include "exec/scratch.hpp"
#include "exec/tickets.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace lg::detail {

namespace {

// The execution this thread is starting inline, and how deeply such starts nest on it (a node of
// one started inline may start another).
thread_local const ExecutionState* starting_here = nullptr;
thread_local std::uint32_t inline_depth = 0;
// Deeper than this, a start is posted: each level is a stack of node calls.
constexpr std::uint32_t max_inline_depth = 8;

class InlineStart {
 public:
  explicit InlineStart(const ExecutionState* state) noexcept : previous_(starting_here) {
    starting_here = state;
    ++inline_depth;
  }
  ~InlineStart() {
    starting_here = previous_;
    --inline_depth;
  }
  InlineStart(const InlineStart&) = delete;
  InlineStart& operator=(const InlineStart&) = delete;

 private:
  const ExecutionState* previous_;
};

}  // namespace

ExecutorCore::Launch ExecutorCore::async_launch() const noexcept {
  // On the runtime's own io_context, the caller is a thread that would run the helper anyway:
  // starting there saves the post, the other thread's wake-up and the completion's way back.
  return inline_depth < max_inline_depth && rt_.in_io_thread() ? Launch::inline_start
                                                               : Launch::posted;
}

void ExecutorCore::hand_over(ExecutionState& state) {
  state.completion.complete(std::move(state.outcome), ExecutionResult(&state), state.cancellation);
}

bool ExecutorCore::starting_on_this_thread(const ExecutionState& state) noexcept {
  return starting_here == &state;
}

void ExecutorCore::launch(ExecutionState& state, boost::asio::cancellation_slot slot, Launch how) {
  if (state.observed) {
    state.started = std::chrono::steady_clock::now();
    execution_event(state, true, false, {});
  }
  connect_cancellation(state, slot);
  // A unit of work for each root and one for this launch, and a reference on the state for
  // this launch: the execution may complete (and its result be dropped) while this thread still
  // looks at it.
  state.refs.fetch_add(1, std::memory_order_relaxed);
  const auto roots = static_cast<std::uint32_t>(plan_.roots.size());
  state.work.store(unit, std::memory_order_relaxed);
  const bool timed = state.deadline && roots > 0;
  if (timed && how == Launch::inline_start) {
    // Most executions started inline end before their launch returns: a timer armed and
    // cancelled for each costs more than the graph. The clock is read between nodes instead.
    state.deadline_at = std::chrono::steady_clock::now() + *state.deadline;
    state.deadline_by_clock = true;
  }
  push_ready(state, plan_.roots);
  if (timed && !state.deadline_by_clock) {
    arm_deadline(state);
  }
  if (how == Launch::posted) {
    request_helpers(state, roots);
    finish_one(state);
    drop_ref(state);
    return;
  }
  const InlineStart start(how == Launch::inline_start ? &state : nullptr);
  // The caller counts as one of the threads working on the execution: with it, no more than
  // the runtime's concurrency work at once (more would only preempt each other).
  state.helpers.store(1, std::memory_order_relaxed);
  request_helpers(state, roots > 0 ? roots - 1 : 0);
  work_queue(state);
  state.helpers.fetch_sub(1, std::memory_order_seq_cst);
  if (state.ready_head.load(std::memory_order_seq_cst) <
      state.ready_tail.load(std::memory_order_seq_cst)) {
    request_helpers(state, 1);  // pushed while the caller was leaving: someone must run it
  }
  // Going on without this thread (asynchronous nodes, helpers): the timer keeps the deadline
  // now. The launch's unit keeps the execution from completing before the timer is armed.
  if (state.deadline_by_clock && (state.work.load(std::memory_order_acquire) & units) != unit &&
      !state.stopped.load(std::memory_order_acquire)) {
    arm_deadline(state);
  }
  finish_one(state);  // may complete: queued, not handed over, while `start` marks this launch
  drop_ref(state);
}

void ExecutorCore::push_ready(ExecutionState& state, std::span<const std::uint32_t> nodes) {
  // Counted in flight before anyone can pop them; one read-modify-write for the whole batch.
  const auto count = static_cast<std::uint32_t>(nodes.size());
  state.work.fetch_add(count * node_unit, std::memory_order_relaxed);
  const std::uint32_t first = state.ready_tail.fetch_add(count, std::memory_order_seq_cst);
  for (std::uint32_t i = 0; i < count; ++i) {
    state.ready[first + i].store(nodes[i] + 1, std::memory_order_release);
  }
}

bool ExecutorCore::claim_ready(ExecutionState& state, std::uint32_t& first, std::uint32_t& count) {
  std::uint32_t head = state.ready_head.load(std::memory_order_acquire);
  for (;;) {
    const std::uint32_t tail = state.ready_tail.load(std::memory_order_seq_cst);
    if (head >= tail) {
      return false;
    }
    // A share of what is there (guided scheduling): fewer trips to the shared counter, and
    // still something left for the other threads.
    const std::uint32_t available = tail - head;
    count = std::clamp<std::uint32_t>(available / (2 * max_helpers_), 1, 32);
    if (state.ready_head.compare_exchange_weak(head, head + count, std::memory_order_acq_rel)) {
      first = head;
      return true;
    }
  }
}

std::uint32_t ExecutorCore::take_slot(ExecutionState& state, std::uint32_t slot) {
  std::uint32_t value = 0;
  while ((value = state.ready[slot].load(std::memory_order_acquire)) == 0) {
    // its producer took the slot and is about to fill it
  }
  return value - 1;
}

void ExecutorCore::request_helpers(ExecutionState& state, std::uint32_t wanted) {
  std::uint32_t helpers = state.helpers.load(std::memory_order_seq_cst);
  while (wanted > 0 && helpers < max_helpers_) {
    // Someone works on it already and no thread of the runtime is free: that one will get to
    // the queue sooner than a helper waiting in line behind other executions' work.
    if (helpers > 0 && rt_.saturated()) {
      return;
    }
    if (state.helpers.compare_exchange_weak(helpers, helpers + 1, std::memory_order_seq_cst)) {
      post_helper(state);
      ++helpers;
      --wanted;
    }
  }
}

void ExecutorCore::post_helper(ExecutionState& state) {
  // A helper holds a reference, not a unit of work: an execution does not wait for helpers
  // that are still waking up when its nodes are done.
  state.refs.fetch_add(1, std::memory_order_relaxed);
  try {
    rt_.post(HelperTicket(*this, state));
  } catch (...) {
    // The ticket was destroyed unrun and gave up what it was to do (abandon_helper).
  }
}

void ExecutorCore::help(ExecutionState& state) {
  for (;;) {
    work_queue(state);
    // Leaving: a node pushed while this helper was still counted (so no new helper was asked
    // for) must not be stranded, so look again after leaving and come back for it.
    std::uint32_t helpers = state.helpers.fetch_sub(1, std::memory_order_seq_cst) - 1;
    if (state.ready_head.load(std::memory_order_seq_cst) >=
        state.ready_tail.load(std::memory_order_seq_cst)) {
      return;
    }
    if (helpers >= max_helpers_ ||
        !state.helpers.compare_exchange_strong(helpers, helpers + 1, std::memory_order_seq_cst)) {
      return;  // another helper is there, or is coming back, for it
    }
  }
}

void ExecutorCore::abandon_helper(ExecutionState& state) noexcept {
  stop(state, abandoned_error());
  if (state.helpers.fetch_sub(1, std::memory_order_seq_cst) - 1 != 0) {
    return;  // a thread that works on it settles the queue
  }
  // Nobody will run what is queued: it stays not_run, and its units are given back.
  std::uint64_t units_back = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  while (claim_ready(state, first, count)) {
    for (std::uint32_t slot = first; slot < first + count; ++slot) {
      (void)take_slot(state, slot);
      units_back += node_unit;
    }
  }
  if (units_back != 0) {
    finish(state, units_back);
  }
}

void ExecutorCore::work_queue(ExecutionState& state) {
  // Finished nodes' units are given back together when the queue runs dry: one shared
  // read-modify-write instead of one per node (holding them longer only delays completion
  // until then, which is when it would happen anyway).
  std::uint64_t finished_units = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  const RunningLanes::Lease lease(state.lanes);
  while (claim_ready(state, first, count)) {
    for (std::uint32_t slot = first; slot < first + count; ++slot) {
      finished_units += run_chain_on(state, take_slot(state, slot), false, lease.lane());
    }
  }
  if (finished_units != 0) {
    finish(state, finished_units);
  }
}

std::uint64_t ExecutorCore::run_chain(ExecutionState& state, std::uint32_t node, bool permitted) {
  const RunningLanes::Lease lease(state.lanes);
  return run_chain_on(state, node, permitted, lease.lane());
}

std::uint64_t ExecutorCore::run_chain_on(ExecutionState& state, std::uint32_t node, bool permitted,
                                         RunningLanes::Lane* lane) {
  std::optional<ScratchLease> lease;  // a child graph run inline from a node gets its own
  try {
    lease.emplace();
    lease->scratch().reserve_for(plan_);
  } catch (...) {
    if (permitted && node != no_node) {
      leave_limit(state, node);
    }
    stop(state, out_of_memory_error());
    return node_unit;
  }
  Scratch& scratch = lease->scratch();
  while (node != no_node) {
    if (stop_seen(state)) {
      if (permitted) {
        leave_limit(state, node);
      }
      break;  // stays not_run
    }
    if (!permitted && plan_.nodes[node].limit != nullptr && !enter_limit(state, node)) {
      return 0;  // waits for its place; its unit waits with it
    }
    permitted = false;
    if (!plan_.nodes[node].may_suspend) {
      if (!run_sync(state, node, scratch, lane)) {
        break;
      }
    } else {
      const Started started = start_suspendable(state, node, scratch);
      if (started == Started::away) {
        return 0;  // the node's unit went with its coroutine
      }
      if (started == Started::failed) {
        break;
      }
    }
    node = settle_successors(state, node, scratch.edge_active, scratch);
  }
  return node_unit;
}

bool ExecutorCore::parent_stop_seen(ExecutionState& state,
                                    const std::atomic<bool>& parent) noexcept {
  if (!parent.load(std::memory_order_acquire)) {
    return false;
  }
  stop(state, parent_stopped_error());
  return true;
}

std::uint32_t ExecutorCore::settle_successors(ExecutionState& state, std::uint32_t node,
                                              std::span<const std::uint8_t> edge_active,
                                              Scratch& scratch) {
  const PlanNode& planned = plan_.nodes[node];
  if (planned.edge_count == 1 && edge_active[0] != 0) {
    const PlanEdge& only = plan_.edges[planned.first_edge];
    if (only.sole_input) {
      return only.to;  // a link of a chain: nothing shared to settle
    }
  }
  std::uint32_t next = no_node;
  std::vector<std::uint32_t>& ready = scratch.ready;  // for the queue, pushed together below
  std::vector<std::uint32_t>& skipped = scratch.skipped;
  const auto make_ready = [&](std::uint32_t to) {
    if (next == no_node) {
      next = to;  // runs on this thread, taking over the finished node's unit of work
    } else {
      ready.push_back(to);  // within the room reserve_for() made
    }
  };
  // Settles one edge into `to`; a target whose last edge settles is ready or skipped.
  const auto settle = [&](const PlanEdge& edge, bool active) {
    const std::uint32_t to = edge.to;
    bool run = active;
    if (!edge.sole_input) {  // else this edge alone decides: no shared counter
      // One read-modify-write settles the edge and counts it active (see ExecutionState).
      const std::uint64_t before = state.inputs[to].fetch_add(
          active ? inputs_active - 1 : static_cast<std::uint64_t>(-1), std::memory_order_acq_rel);
      if ((before & inputs_pending) != 1) {
        return;  // other edges into `to` are still unsettled
      }
      run = active || (before >> 32) > 0;
    }
    if (run) {
      make_ready(to);
    } else {
      state.status[to] = NodeStatus::skipped;
      skipped.push_back(to);
    }
  };
  for (std::uint32_t i = 0; i < planned.edge_count; ++i) {
    settle(plan_.edges[planned.first_edge + i], edge_active[i] != 0);
  }
  // A skipped node's edges are all inactive: the skip propagates without recursion.
  while (!skipped.empty()) {
    const PlanNode& skipped_node = plan_.nodes[skipped.back()];
    skipped.pop_back();
    for (std::uint32_t i = 0; i < skipped_node.edge_count; ++i) {
      settle(plan_.edges[skipped_node.first_edge + i], false);
    }
  }
  if (!ready.empty()) {
    push_ready(state, ready);
    request_helpers(state, static_cast<std::uint32_t>(ready.size()));
    ready.clear();
  }
  return next;
}

}  // namespace lg::detail
