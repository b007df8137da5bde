#include "exec/executor_core.hpp"

#include <logic_graph/memory/memory_metrics.hpp>

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace lg::detail {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

thread_local Scratch thread_scratch;

std::size_t states_to_keep(std::size_t node_count) {
  // Enough states for many executions in flight, without keeping gigabytes for huge graphs.
  return std::clamp<std::size_t>((std::size_t{1} << 22) / (node_count + 1), 2, 1024);
}

}  // namespace

ExecutorCore::ExecutorCore(const GraphDef& graph, const NodeRegistry& registry,
                           ExecutorOptions options)
    : plan_(Plan::build(graph, registry)),
      options_(std::move(options)),
      handler_blocks_(
          memory::PoolConfig{.max_pooled = 256, .initial_capacity = 0, .track_stats = false}),
      states_(memory::PoolConfig{.max_pooled = states_to_keep(plan_.nodes.size()),
                                 .initial_capacity = plan_.nodes.size(),
                                 .track_stats = false}),
      observed_(!options_.observers.empty()) {
  if (options_.executor) {
    executor_ = *options_.executor;
  } else {
    const std::size_t threads = options_.threads != 0
                                    ? options_.threads
                                    : std::max(1U, std::thread::hardware_concurrency());
    own_threads_.emplace(threads);
    executor_ = own_threads_->get_executor();
    max_helpers_ = static_cast<std::uint32_t>(threads);
  }
  if (options_.executor) {
    max_helpers_ = std::max(1U, std::thread::hardware_concurrency());
  }
  contexts_ = options_.context_pool ? options_.context_pool : std::make_shared<ContextPool>();
  if (options_.memory_budget_bytes) {
    budget_.emplace(*options_.memory_budget_bytes);
  }
}

ExecutorCore::~ExecutorCore() {
  if (own_threads_) {
    own_threads_->join();
  }
}

memory::detail::PoolCore& ExecutorCore::states() noexcept {
  return memory::detail::core_of(states_);
}

ExecutionState& ExecutorCore::prepare(nlohmann::json input) {
  // The new state's one reference belongs to the execution, then to its result.
  if (!input.is_object() && !input.is_null()) {  // null: no input
    throw std::invalid_argument(std::string("execution input must be a JSON object, found ") +
                                input.type_name());
  }
  auto lease = states_.acquire();
  ExecutionState& state = *lease;
  state.core = this;
  state.id = next_id_.fetch_add(1, std::memory_order_relaxed);
  state.context = contexts_->acquire();
  if (input.is_object()) {
    for (auto& [key, value] : input.items()) {
      state.context->set(key, std::move(value));
    }
  }
  for (std::size_t i = 0; i < plan_.nodes.size(); ++i) {
    state.inputs[i].store(plan_.nodes[i].in_degree, std::memory_order_relaxed);
  }
  if (plan_.has_async && !state.async_slots) {
    state.async_slots = std::make_unique<AsyncSlot[]>(plan_.nodes.size());
  }
  memory::detail::detach(std::move(lease));  // owned by the execution until it completes
  state.refs.store(1, std::memory_order_relaxed);
  return state;
}

void ExecutorCore::abandon(ExecutionState& state) noexcept {
  states().release(&state);
}

void ExecutorCore::launch(ExecutionState& state, asio::cancellation_slot slot, bool caller_works) {
  if (observed_) {
    state.started = Clock::now();
    ExecutionEvent event;
    event.execution_id = state.id;
    event.graph_name = plan_.name;
    event.time = state.started;
    for (const auto& observer : options_.observers) {
      observer->on_execution_start(event);
    }
  }
  if (slot.is_connected()) {
    state.cancellation = slot;
    slot.assign([this, &state](asio::cancellation_type) {
      // Under cancel_mutex: completion clears the slot (destroying this handler) only once no
      // emit from another thread is inside it.
      std::lock_guard guard(state.cancel_mutex);
      if (!state.cancel_closed) {
        stop(state, std::make_exception_ptr(ExecutionError(ExecutionError::Kind::cancelled, "",
                                                           "execution cancelled")));
      }
    });
  }
  // A unit of work for each root and one for this launch, and a reference on the state for
  // this launch: the execution may complete (and its result be dropped) while this thread still
  // looks at it.
  state.refs.fetch_add(1, std::memory_order_relaxed);
  const auto roots = static_cast<std::uint32_t>(plan_.roots.size());
  state.work.store(unit, std::memory_order_relaxed);
  push_ready(state, plan_.roots);
  if (options_.deadline && roots > 0) {
    arm_deadline(state);
  }
  if (caller_works) {
    // The caller counts as one of the threads working on the execution: with it, no more than
    // the pool's size work at once (more would only preempt each other on spin locks).
    state.helpers.store(1, std::memory_order_relaxed);
    request_helpers(state, roots > 0 ? roots - 1 : 0);
    work_queue(state);
    state.helpers.fetch_sub(1, std::memory_order_seq_cst);
    if (state.ready_head.load(std::memory_order_seq_cst) <
        state.ready_tail.load(std::memory_order_seq_cst)) {
      request_helpers(state, 1);  // pushed while the caller was leaving: someone must run it
    }
  } else {
    request_helpers(state, roots);
  }
  finish_one(state);
  drop_ref(state);
}

void ExecutorCore::drop_ref(ExecutionState& state) noexcept {
  if (state.refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    states().release(&state);
  }
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
    if (state.helpers.compare_exchange_weak(helpers, helpers + 1, std::memory_order_seq_cst)) {
      // A helper holds a reference, not a unit of work: an execution does not wait for helpers
      // that are still waking up when its nodes are done.
      state.refs.fetch_add(1, std::memory_order_relaxed);
      post_helper(state);
      --wanted;
    }
  }
}

void ExecutorCore::post_helper(ExecutionState& state) {
  auto helper = [this, &state] {
    for (;;) {
      work_queue(state);
      // Leaving: a node pushed while this helper was still counted (so no new helper was
      // asked for) must not be stranded, so look again after leaving and come back for it.
      std::uint32_t helpers = state.helpers.fetch_sub(1, std::memory_order_seq_cst) - 1;
      if (state.ready_head.load(std::memory_order_seq_cst) >=
          state.ready_tail.load(std::memory_order_seq_cst)) {
        break;
      }
      if (helpers >= max_helpers_ ||
          !state.helpers.compare_exchange_strong(helpers, helpers + 1, std::memory_order_seq_cst)) {
        break;  // another helper is there, or is coming back, for it
      }
    }
    drop_ref(state);
  };
  if (own_threads_) {
    // The typed executor takes the handler's allocator (any_io_executor would drop it).
    asio::post(own_threads_->get_executor(),
               asio::bind_allocator(HandlerAllocator<void>(handler_blocks_), std::move(helper)));
  } else {
    asio::post(executor_, std::move(helper));
  }
}

void ExecutorCore::work_queue(ExecutionState& state) {
  // Finished nodes' units are given back together when the queue runs dry: one shared
  // read-modify-write instead of one per node (holding them longer only delays completion
  // until then, which is when it would happen anyway).
  std::uint64_t finished = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  while (claim_ready(state, first, count)) {
    for (std::uint32_t slot = first; slot < first + count; ++slot) {
      finished += run_chain(state, take_slot(state, slot));
    }
  }
  if (finished != 0) {
    finish(state, finished);
  }
}

std::uint64_t ExecutorCore::run_chain(ExecutionState& state, std::uint32_t node) {
  Scratch& scratch = thread_scratch;  // one look-up of the thread-local, not one per use
  while (node != no_node) {
    if (state.stopped.load(std::memory_order_acquire)) {
      break;  // stays not_run
    }
    if (plan_.nodes[node].async != nullptr) {
      start_async(state, node);  // the node's unit goes with it
      return 0;
    }
    if (!run_sync(state, node, scratch)) {
      break;
    }
    node = settle_successors(state, node, scratch.edge_active, scratch);
  }
  return node_unit;
}

bool ExecutorCore::budget_allows(ExecutionState& state, std::uint32_t node) {
  if (!budget_) {
    return true;
  }
  if (const auto exceeded = budget_->check()) {
    const std::string& id = plan_.nodes[node].node->id();
    stop(state, std::make_exception_ptr(
                    ExecutionError(ExecutionError::Kind::budget_exceeded, id,
                                   "before node '" + id + "': " + exceeded->message())));
    return false;
  }
  return true;
}

bool ExecutorCore::run_sync(ExecutionState& state, std::uint32_t node, Scratch& scratch) {
  if (!budget_allows(state, node)) {
    return false;
  }
  const PlanNode& planned = plan_.nodes[node];
  Context& writes = scratch.writes;  // first touched (and built) before anything is counted
  if (!writes.empty()) {
    writes.clear();  // left over from a node that failed
  }
  scratch.edge_active.resize(planned.edge_count);
  const auto [began, allocations_before] = start_node(state, node);
  // Alone: no other node of this execution is ready or running, and none can become so before
  // this one settles its edges, so nothing else can touch the context: no lock (a chain runs
  // entirely this way). Otherwise read under a shared hold and commit under the exclusive one,
  // upgraded in place when no other node is reading.
  const bool alone = (state.work.load(std::memory_order_acquire) >> 32) == 1;
  SharedSpinLock& lock = state.context_lock;
  bool shared = false;
  bool exclusive = false;
  if (!alone) {
    lock.lock_shared();
    shared = true;
  }
  try {
    NodeScope scope(*state.context, lock, writes, planned.node->id(), true);
    nlohmann::json result = planned.sync->run(scope);
    if (shared) {
      if (!lock.try_upgrade()) {
        lock.unlock_shared();
        lock.lock();
      }
      shared = false;
      exclusive = true;
    }
    commit_locked(state, node, writes, std::move(result), scratch.edge_active);
    if (exclusive) {
      lock.unlock();
    }
  } catch (const std::exception& e) {
    if (exclusive) {
      lock.unlock();
    } else if (shared) {
      lock.unlock_shared();
    }
    fail(state, node, e.what());
    if (observed_) {
      node_event(state, node, false, NodeStatus::failed, began,
                 memory::thread_allocation_count() - allocations_before, e.what());
    }
    return false;
  }
  if (observed_) {
    node_event(state, node, false, NodeStatus::executed, began,
               memory::thread_allocation_count() - allocations_before, {});
  }
  return true;
}

void ExecutorCore::commit_locked(ExecutionState& state, std::uint32_t node, Context& writes,
                                 nlohmann::json&& result, std::span<std::uint8_t> edge_active) {
  const PlanNode& planned = plan_.nodes[node];
  Context& context = *state.context;
  if (!writes.empty()) {
    context.take_all(writes);
  }
  context.set(planned.node->id(), planned.id_hash, std::move(result));
  // Conditions are evaluated here, under the lock, against the context this node just wrote.
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

std::uint32_t ExecutorCore::settle_successors(ExecutionState& state, std::uint32_t node,
                                              std::span<const std::uint8_t> edge_active,
                                              Scratch& scratch) {
  std::uint32_t next = no_node;
  std::vector<std::uint32_t>& ready = scratch.ready;  // for the queue, pushed together below
  std::vector<std::uint32_t>& skipped = scratch.skipped;
  const auto make_ready = [&](std::uint32_t to) {
    if (next == no_node) {
      next = to;  // runs on this thread, taking over the finished node's unit of work
    } else {
      ready.push_back(to);
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
  const PlanNode& planned = plan_.nodes[node];
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

void ExecutorCore::start_async(ExecutionState& state, std::uint32_t node) {
  if (!budget_allows(state, node)) {
    finish_node(state);
    return;
  }
  AsyncSlot& slot = state.async_slots[node];
  slot.next = no_node;
  slot.begun = false;
  slot.cancel_at_start = false;
  bool start = false;
  {
    // stop() sets `stopped` before it looks for running slots under this mutex, so a stop that
    // run_chain missed is seen here, and the node does not start (it would not be cancelled).
    std::lock_guard guard(state.async_mutex);
    start = !state.stopped.load(std::memory_order_acquire);
    if (start && !slot.strand) {
      slot.strand.emplace(asio::make_strand(executor_));
    }
    slot.running = start;
  }
  if (!start) {
    finish_node(state);  // stays not_run
    return;
  }
  asio::co_spawn(*slot.strand, run_async(state, node),
                 asio::bind_cancellation_slot(slot.signal.slot(),
                                              [this, &state, node](std::exception_ptr error) {
                                                after_async(state, node, std::move(error));
                                              }));
}

asio::awaitable<void> ExecutorCore::run_async(ExecutionState& state, std::uint32_t node) {
  AsyncSlot& slot = state.async_slots[node];
  slot.begun = true;
  if (slot.cancel_at_start) {
    co_return;  // stays not_run, as a node that stop() kept from starting
  }
  const PlanNode& planned = plan_.nodes[node];
  const auto [began, allocations_before] = start_node(state, node);
  Context writes;
  NodeScope scope(*state.context, state.context_lock, writes, planned.node->id(), false);
  nlohmann::json result = co_await planned.async->run(scope);
  std::vector<std::uint8_t> edge_active(planned.edge_count);
  {
    std::unique_lock lock(state.context_lock);
    commit_locked(state, node, writes, std::move(result), edge_active);
  }
  if (observed_) {
    // Allocations are those of the thread that finished it: an approximation across hops.
    const auto after = memory::thread_allocation_count();
    node_event(state, node, false, NodeStatus::executed, began,
               after >= allocations_before ? after - allocations_before : 0, {});
  }
  state.async_slots[node].next = settle_successors(state, node, edge_active, thread_scratch);
}

void ExecutorCore::after_async(ExecutionState& state, std::uint32_t node,
                               std::exception_ptr error) {
  {
    std::lock_guard guard(state.async_mutex);
    state.async_slots[node].running = false;
  }
  if (state.async_slots[node].cancel_at_start) {
    finish_node(state);
    return;
  }
  if (error) {
    // describe() also covers exceptions that are not std::exception, which the old
    // rethrow-and-catch let escape from this handler.
    const std::string message = describe(error);
    fail(state, node, message);
    if (observed_) {
      node_event(state, node, false, NodeStatus::failed, Clock::now(), 0, message);
    }
    finish_node(state);
    return;
  }
  // The successor inherits the node's unit.
  if (const std::uint64_t finished = run_chain(state, state.async_slots[node].next); finished) {
    finish(state, finished);
  }
}

void ExecutorCore::fail(ExecutionState& state, std::uint32_t node, std::string_view message) {
  const std::string& id = plan_.nodes[node].node->id();
  if (state.stopped.load(std::memory_order_acquire)) {
    // Already stopping (cancelled, deadline): the node ended because of that.
    state.status[node] = NodeStatus::failed;
    return;
  }
  state.status[node] = NodeStatus::failed;
  stop(state, std::make_exception_ptr(
                  ExecutionError(ExecutionError::Kind::node_failed, id,
                                 "node '" + id + "' failed: " + std::string(message))));
}

void ExecutorCore::stop(ExecutionState& state, std::exception_ptr error) {
  bool expected = false;
  if (!state.stopped.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
    return;  // the first reason wins
  }
  {
    std::lock_guard guard(state.async_mutex);
    state.error = std::move(error);
    if (!state.async_slots) {
      return;
    }
    // Running asynchronous nodes are cancelled on their own strands; each emit is in flight.
    for (std::size_t i = 0; i < plan_.nodes.size(); ++i) {
      AsyncSlot& slot = state.async_slots[i];
      if (slot.running) {
        state.work.fetch_add(unit, std::memory_order_relaxed);
        asio::post(*slot.strand, [this, &state, &slot] {
          if (slot.begun) {
            slot.signal.emit(asio::cancellation_type::terminal);
          } else {
            slot.cancel_at_start = true;
          }
          finish_one(state);
        });
      }
    }
  }
}

void ExecutorCore::arm_deadline(ExecutionState& state) {
  if (!state.deadline) {
    state.deadline.emplace(executor_);
  }
  state.deadline_armed = true;
  state.deadline->expires_after(*options_.deadline);
  state.deadline->async_wait([this, &state](const boost::system::error_code& ec) {
    if (!ec) {
      stop(state, std::make_exception_ptr(ExecutionError(
                      ExecutionError::Kind::deadline, "",
                      "execution exceeded its deadline of " +
                          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             *options_.deadline)
                                             .count()) +
                          " ms")));
    }
    if (state.finished_parts.fetch_add(1, std::memory_order_acq_rel) == 1) {
      complete(state);
    }
  });
}

void ExecutorCore::finish_node(ExecutionState& state) {
  finish(state, node_unit);
}

void ExecutorCore::finish_one(ExecutionState& state) {
  finish(state, unit);
}

void ExecutorCore::finish(ExecutionState& state, std::uint64_t what) {
  if ((state.work.fetch_sub(what, std::memory_order_acq_rel) & units) != (what & units)) {
    return;  // other work is still in flight
  }
  if (state.deadline_armed) {
    state.deadline->cancel();
    if (state.finished_parts.fetch_add(1, std::memory_order_acq_rel) == 0) {
      return;  // the timer's handler completes
    }
  }
  complete(state);
}

void ExecutorCore::complete(ExecutionState& state) {
  if (state.cancellation.is_connected()) {
    {
      std::lock_guard guard(state.cancel_mutex);  // waits for an emit inside the handler
      state.cancel_closed = true;
    }
    state.cancellation.clear();
  }
  std::exception_ptr error;
  {
    // Moved out, not copied: the caller becomes the error's only owner, so a pool thread that
    // later clears the pooled state never frees an exception the caller is still reading.
    std::lock_guard guard(state.async_mutex);
    error = std::move(state.error);
  }
  if (observed_) {
    const std::string message = error ? describe(error) : std::string();
    const auto now = Clock::now();
    ExecutionEvent event;
    event.execution_id = state.id;
    event.graph_name = plan_.name;
    event.time = now;
    event.duration = now - state.started;
    event.succeeded = !error;
    event.error = message;
    const PoolStats pool = contexts_->stats();
    event.pool_acquired = pool.total_acquired;
    event.pool_reused = pool.reused;
    for (const auto& observer : options_.observers) {
      observer->on_execution_end(event);
    }
  }
  // The result owns the state from here; on failure it is empty and the state (with its
  // context) goes back to the pools before the handler runs.
  state.completion.complete(std::move(error), ExecutionResult(&state));
}

ExecutorCore::NodeStart ExecutorCore::start_node(ExecutionState& state, std::uint32_t node) {
  if (!observed_) {
    return {};  // no clock read, no counter read
  }
  const Clock::time_point began = Clock::now();
  node_event(state, node, true, NodeStatus::not_run, began, 0, {});
  return {began, memory::thread_allocation_count()};  // read after observers: the node's own
}

void ExecutorCore::node_event(ExecutionState& state, std::uint32_t node, bool start,
                              NodeStatus status, Clock::time_point began, std::uint64_t allocations,
                              std::string_view error) {
  const PlanNode& planned = plan_.nodes[node];
  NodeEvent event;
  event.execution_id = state.id;
  event.node_id = planned.node->id();
  event.node_type = planned.node->type();
  event.start = began;
  event.status = status;
  event.allocations = allocations;
  event.error = error;
  if (start) {
    for (const auto& observer : options_.observers) {
      observer->on_node_start(event);
    }
    return;
  }
  event.duration = Clock::now() - began;
  for (const auto& observer : options_.observers) {
    observer->on_node_end(event);
  }
}

void release_execution(ExecutionState& state) noexcept {
  state.core->drop_ref(state);
}

}  // namespace lg::detail
