// Running one node: its budget and concurrency limit, its scope, the synchronous fast path, the
// coroutine of a node that suspends, and committing what it produced.

#include "context/context_versions.hpp"
#include "exec/errors.hpp"
#include "exec/executor_core.hpp"
#include "exec/tickets.hpp"
#include "exec/value_depth.hpp"

#include <logic_graph/memory/memory_budget.hpp>
#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/memory/memory_reserve.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <mutex>

namespace lg::detail {

using Clock = std::chrono::steady_clock;

bool ExecutorCore::budget_allows_slow(ExecutionState& state, std::uint32_t node) {
  // The process ran out of memory a moment ago (memory_reserve.hpp): go on only once the
  // reserve is back, else fail rather than run into the next failed allocation.
  if (!memory::reserve_in_place()) {
    stop(state, out_of_memory_error());
    return false;
  }
  if (!state.budget_bytes) {
    return true;
  }
  if (const auto exceeded = memory::MemoryBudget(*state.budget_bytes).check()) {
    const std::string& id = plan_.nodes[node].node->id();
    try {
      stop(state, std::make_exception_ptr(
                      ExecutionError(ExecutionError::Kind::budget_exceeded, id,
                                     "before node '" + id + "': " + exceeded->message())));
    } catch (...) {
      stop(state, out_of_memory_error());
    }
    return false;
  }
  return true;
}

bool ExecutorCore::enter_limit(ExecutionState& state, std::uint32_t node) {
  LimitWaiter& waiter = state.waiters[node];
  waiter.state = &state;
  waiter.node = node;
  return plan_.nodes[node].limit->try_enter(waiter);
}

void ExecutorCore::hand_on_place(std::uint32_t node) noexcept {
  if (LimitWaiter* next = plan_.nodes[node].limit->leave()) {
    post_resume(*next->state, next->node);
  }
}

void ExecutorCore::post_resume(ExecutionState& state, std::uint32_t node) {
  state.refs.fetch_add(1, std::memory_order_relaxed);
  try {
    rt_.post(ResumeTicket(*this, state, node));
  } catch (...) {
    // The ticket, destroyed unrun, passed the place on and gave the node's unit back.
  }
}

namespace {

// A node that is not a SyncNode but never suspends (a wrapper around synchronous nodes).
nlohmann::json inline_result(const PlanNode& planned, NodeScope& scope) {
  NodeRun run = planned.node->start(scope);
  if (!run.ready()) {
    throw std::logic_error("node type '" + planned.node->type() +
                           "' says it never suspends (may_suspend() is false) but returned an "
                           "awaitable");
  }
  return std::move(run).value();
}

}  // namespace

bool ExecutorCore::run_sync(ExecutionState& state, std::uint32_t node, Scratch& scratch,
                            RunningLanes::Lane* lane) {
  if (!budget_allows(state, node)) {
    leave_limit(state, node);
    return false;
  }
  const PlanNode& planned = plan_.nodes[node];
  Context& writes = scratch.writes;
  if (!writes.empty()) {
    writes.clear();  // left over from a node that failed
  }
  scratch.edge_active.resize(planned.edge_count);  // within the room reserve_for() made
  std::vector<std::string>* reads = nullptr;
  if (state.traced) {
    scratch.reads.clear();
    reads = &scratch.reads;
  }
  const NodeStart start = begin_node(state, node, lane);
  // Alone: no other node of this execution is ready or running, and none can become so before
  // this one settles its edges, so nothing else can write the context: no commit lock (a chain
  // runs entirely this way).
  const bool alone = (state.work.load(std::memory_order_acquire) >> 32) == 1;
  try {
    NodeScope scope(state, planned.node->id(), writes, reads);
    nlohmann::json result =
        planned.sync != nullptr ? planned.sync->run(scope) : inline_result(planned, scope);
    commit(state, node, scope, writes, std::move(result), scratch.edge_active, alone);
  } catch (...) {
    const std::exception_ptr error = std::current_exception();
    fail(state, node, error);
    leave_limit(state, node);
    end_node(state, node, NodeStatus::failed, start, true, error, reads);
    return false;
  }
  leave_limit(state, node);
  end_node(state, node, NodeStatus::executed, start, true, nullptr, reads);
  return true;
}

ExecutorCore::Started ExecutorCore::start_suspendable(ExecutionState& state, std::uint32_t node,
                                                      Scratch& scratch) {
  if (!budget_allows(state, node)) {
    leave_limit(state, node);
    return Started::failed;
  }
  const PlanNode& planned = plan_.nodes[node];
  AsyncSlot& slot = state.async_slots[node];
  if (!slot.writes.empty()) {
    slot.writes.clear();
  }
  slot.reads.clear();
  slot.scope.emplace(
      NodeScope(state, planned.node->id(), slot.writes, state.traced ? &slot.reads : nullptr));
  // Marked in its flag: it may go on running on other threads.
  const NodeStart start = begin_node(state, node, nullptr);
  slot.began = start.began;
  const auto give_up = [&](const std::exception_ptr& error) {
    fail(state, node, error);
    slot.scope.reset();
    leave_limit(state, node);
    end_node(state, node, NodeStatus::failed, start, false, error, &slot.reads);
    return Started::failed;
  };
  // Completed inline (a wrapper around a synchronous node, a cache hit, a task that never
  // waited): as a sync node.
  const auto done_inline = [&](nlohmann::json&& result) {
    scratch.edge_active.resize(planned.edge_count);
    const bool alone = (state.work.load(std::memory_order_acquire) >> 32) == 1;
    commit(state, node, *slot.scope, slot.writes, std::move(result), scratch.edge_active, alone);
    slot.scope.reset();
    leave_limit(state, node);
    end_node(state, node, NodeStatus::executed, start, true, nullptr, &slot.reads);
    return Started::done;
  };
  std::optional<NodeRun> run;
  try {
    run.emplace(planned.node->start(*slot.scope));
    if (run->ready()) {
      return done_inline(std::move(*run).value());
    }
    slot.task = run->take_task();
    if (slot.task) {
      // A TaskNode: its task runs here until it finishes or waits on Asio.
      slot.host.state = &state;
      slot.host.node = node;
      if (!slot.task->start(slot.host)) {
        return Started::away;  // its end completes the node (task_finished)
      }
      return done_inline(take_task_result(slot));
    }
    if (!mark_running(state, slot)) {
      run.reset();
      slot.scope.reset();
      leave_limit(state, node);
      return Started::failed;  // stays not_run
    }
  } catch (...) {
    return give_up(std::current_exception());
  }
  state.refs.fetch_add(1, std::memory_order_relaxed);  // the completion's hold
  try {
    boost::asio::co_spawn(
        *slot.strand, run_async(state, node, std::move(*run).wait()),
        boost::asio::bind_cancellation_slot(slot.signal.slot(), AsyncTicket(*this, state, node)));
  } catch (...) {
    // The ticket, destroyed unrun, failed the node and gave its unit back.
  }
  return Started::away;
}

boost::asio::awaitable<void> ExecutorCore::run_async(ExecutionState& state, std::uint32_t node,
                                                     boost::asio::awaitable<nlohmann::json> work) {
  AsyncSlot& slot = state.async_slots[node];
  slot.begun = true;
  if (slot.cancel_at_start) {
    co_return;  // stays not_run, as a node that stop() kept from starting
  }
  slot.result = co_await std::move(work);
}

bool ExecutorCore::mark_running(ExecutionState& state, AsyncSlot& slot) {
  // stop() sets `stopped` before it looks for running slots under this mutex, so a stop that
  // came before is seen here, and nothing starts (it would not be cancelled); one after finds
  // the slot running and posts its cancellation to the strand.
  const std::lock_guard guard(state.async_mutex);
  if (state.stopped.load(std::memory_order_acquire)) {
    return false;
  }
  if (!slot.strand) {
    slot.strand.emplace(rt_.make_strand());
  }
  // Reset before `running` is published: from then on stop() may post a cancellation to the
  // strand, which reads and writes these.
  slot.begun = false;
  slot.cancel_at_start = false;
  slot.running = true;
  return true;
}

void ExecutorCore::coroutine_ended(ExecutionState& state, std::uint32_t node) noexcept {
  AsyncSlot& slot = state.async_slots[node];
  {
    const std::lock_guard guard(state.async_mutex);
    slot.running = false;
  }
  // co_spawn leaves its cancellation handler (with a copy of the strand) in the signal: let it
  // go now, on the strand, while the executor it belongs to surely exists.
  slot.signal.slot().clear();
}

void ExecutorCore::after_async(ExecutionState& state, std::uint32_t node,
                               std::exception_ptr error) {
  AsyncSlot& slot = state.async_slots[node];
  coroutine_ended(state, node);
  const NodeStart start{slot.began, 0};
  if (slot.cancel_at_start) {
    slot.scope.reset();
    leave_limit(state, node);
    end_node(state, node, NodeStatus::not_run, start, false, nullptr, nullptr);
    finish_node(state);
    return;
  }
  complete_async(state, node, std::move(error), std::move(slot.result));
}

void ExecutorCore::complete_async(ExecutionState& state, std::uint32_t node,
                                  std::exception_ptr error, nlohmann::json&& result) {
  AsyncSlot& slot = state.async_slots[node];
  const NodeStart start{slot.began, 0};
  std::optional<ScratchLease> lease;
  if (!error) {
    try {
      lease.emplace();
      Scratch& scratch = lease->scratch();
      scratch.reserve_for(plan_);
      scratch.edge_active.resize(plan_.nodes[node].edge_count);
      commit(state, node, *slot.scope, slot.writes, std::move(result), scratch.edge_active, false);
    } catch (...) {
      error = std::current_exception();
    }
  }
  slot.scope.reset();
  leave_limit(state, node);
  if (error) {
    fail(state, node, error);
    end_node(state, node, NodeStatus::failed, start, false, error, &slot.reads);
    finish_node(state);
    return;
  }
  end_node(state, node, NodeStatus::executed, start, false, nullptr, &slot.reads);
  Scratch& scratch = lease->scratch();
  const std::uint32_t next = settle_successors(state, node, scratch.edge_active, scratch);
  // The successor inherits the node's unit.
  if (const std::uint64_t done = run_chain(state, next); done != 0) {
    finish(state, done);
  }
}

void ExecutorCore::commit(ExecutionState& state, std::uint32_t node, NodeScope& scope,
                          Context& writes, nlohmann::json&& result,
                          std::span<std::uint8_t> edge_active, bool alone) {
  const PlanNode& planned = plan_.nodes[node];
  check_value_depth(result, "its result");
  if (!writes.empty()) {
    for (const Context::Entry& entry : writes) {
      check_value_depth(entry.value, entry.key);
    }
  }
  Context& context = *state.context;
  {
    std::unique_lock<CommitLock> lock(state.commit_lock, std::defer_lock);
    if (!alone) {
      lock.lock();
    }
    if (!writes.empty()) {
      ContextVersions::commit(context, writes);
    }
    ContextVersions::set(context, planned.node->id(), planned.id_hash, std::move(result));
  }
  if (scope.kept_type_ != nullptr) {
    KeptValue& kept = state.kept[node];
    kept.value = std::move(scope.kept_);
    kept.type = scope.kept_type_;
    scope.kept_type_ = nullptr;
    kept.ready.store(true, std::memory_order_release);
  }
  // Conditions read the context as it is now, this node's writes included, without a lock.
  for (std::uint32_t i = 0; i < planned.edge_count; ++i) {
    const PlanEdge& edge = plan_.edges[planned.first_edge + i];
    try {
      edge_active[i] = !edge.when || edge.when->test(context);
    } catch (const std::exception& e) {
      throw std::runtime_error("condition of edge " + planned.node->id() + " -> " +
                               plan_.nodes[edge.to].node->id() + ": " + e.what());
    }
  }
  state.status[node] = NodeStatus::executed;
}

}  // namespace lg::detail
