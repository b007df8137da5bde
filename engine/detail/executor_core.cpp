#include <logic_graph/engine/detail/executor_core.hpp>

#include <logic_graph/memory/memory_metrics.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <mutex>
#include <thread>

namespace lg::detail {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Per-thread scratch for synchronous nodes: reused, so a node run allocates nothing of its own.
struct Scratch {
  Context writes{16};
  std::vector<std::uint8_t> edge_active;
  std::vector<std::uint32_t> skipped;
};
thread_local Scratch scratch;

std::size_t states_to_keep(std::size_t node_count) {
  // Enough states for many executions in flight, without keeping gigabytes for huge graphs.
  return std::clamp<std::size_t>((std::size_t{1} << 22) / (node_count + 1), 2, 1024);
}

}  // namespace

ExecutorCore::ExecutorCore(const GraphDef& graph, const NodeRegistry& registry,
                           ExecutorOptions options)
    : plan_(Plan::build(graph, registry)),
      options_(std::move(options)),
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
    state.pending[i].store(plan_.nodes[i].in_degree, std::memory_order_relaxed);
  }
  if (plan_.has_async && !state.async_slots) {
    state.async_slots = std::make_unique<AsyncSlot[]>(plan_.nodes.size());
  }
  memory::detail::detach(std::move(lease));  // owned by the execution until it completes
  return state;
}

void ExecutorCore::abandon(ExecutionState& state) noexcept {
  states().release(&state);
}

void ExecutorCore::launch(ExecutionState& state, asio::cancellation_slot slot) {
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
      stop(state, std::make_exception_ptr(
                      ExecutionError(ExecutionError::Kind::cancelled, "", "execution cancelled")));
    });
  }
  if (plan_.roots.empty()) {  // an empty graph completes at once
    state.in_flight.store(1, std::memory_order_relaxed);
    finish_one(state);
    return;
  }
  state.in_flight.store(static_cast<std::uint32_t>(plan_.roots.size()), std::memory_order_relaxed);
  if (options_.deadline) {
    arm_deadline(state);
  }
  for (const std::uint32_t root : plan_.roots) {
    post(state, root);
  }
}

void ExecutorCore::post(ExecutionState& state, std::uint32_t node) {
  asio::post(executor_, [this, &state, node] { run_from(state, node); });
}

void ExecutorCore::run_from(ExecutionState& state, std::uint32_t node) {
  while (node != no_node) {
    if (state.stopped.load(std::memory_order_acquire)) {
      break;  // stays not_run
    }
    const PlanNode& planned = plan_.nodes[node];
    if (planned.async != nullptr) {
      start_async(state, node);  // its completion carries on from there
      return;
    }
    if (!run_sync(state, node)) {
      break;
    }
    node = settle_successors(state, node, scratch.edge_active);
  }
  finish_one(state);
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

bool ExecutorCore::run_sync(ExecutionState& state, std::uint32_t node) {
  if (!budget_allows(state, node)) {
    return false;
  }
  const PlanNode& planned = plan_.nodes[node];
  Context& writes = scratch.writes;  // first touched (and built) before anything is counted
  writes.clear();
  scratch.edge_active.resize(planned.edge_count);
  Clock::time_point began;
  std::uint64_t allocations_before = 0;
  if (observed_) {
    began = Clock::now();
    node_event(state, node, true, NodeStatus::not_run, began, 0, {});
    allocations_before = memory::thread_allocation_count();  // the node's own, not observers'
  }
  try {
    nlohmann::json result;
    {
      std::shared_lock lock(state.context_lock);
      NodeScope scope(*state.context, state.context_lock, writes, planned.node->id(), true);
      result = planned.sync->run(scope);
    }
    commit(state, node, writes, std::move(result), scratch.edge_active);
  } catch (const std::exception& e) {
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

void ExecutorCore::commit(ExecutionState& state, std::uint32_t node, Context& writes,
                          nlohmann::json&& result, std::span<std::uint8_t> edge_active) {
  const PlanNode& planned = plan_.nodes[node];
  std::unique_lock lock(state.context_lock);
  Context& context = *state.context;
  context.take_all(writes);
  context.set(planned.node->id(), std::move(result));
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
                                              std::span<const std::uint8_t> edge_active) {
  std::uint32_t next = no_node;
  const auto make_ready = [&](std::uint32_t ready) {
    if (next == no_node) {
      next = ready;  // runs on this thread, taking over the finished node's place in flight
    } else {
      state.in_flight.fetch_add(1, std::memory_order_relaxed);
      post(state, ready);
    }
  };
  // Settles one edge into `to`; a target whose last edge settles is ready or skipped.
  std::vector<std::uint32_t>& skipped = scratch.skipped;
  const auto settle = [&](std::uint32_t to, bool active) {
    if (active) {
      state.active[to].fetch_add(1, std::memory_order_relaxed);
    }
    if (state.pending[to].fetch_sub(1, std::memory_order_acq_rel) == 1) {
      if (state.active[to].load(std::memory_order_relaxed) > 0) {
        make_ready(to);
      } else {
        state.status[to] = NodeStatus::skipped;
        skipped.push_back(to);
      }
    }
  };
  const PlanNode& planned = plan_.nodes[node];
  for (std::uint32_t i = 0; i < planned.edge_count; ++i) {
    settle(plan_.edges[planned.first_edge + i].to, edge_active[i] != 0);
  }
  // A skipped node's edges are all inactive: the skip propagates without recursion.
  while (!skipped.empty()) {
    const PlanNode& skipped_node = plan_.nodes[skipped.back()];
    skipped.pop_back();
    for (std::uint32_t i = 0; i < skipped_node.edge_count; ++i) {
      settle(plan_.edges[skipped_node.first_edge + i].to, false);
    }
  }
  return next;
}

void ExecutorCore::start_async(ExecutionState& state, std::uint32_t node) {
  if (!budget_allows(state, node)) {
    finish_one(state);
    return;
  }
  AsyncSlot& slot = state.async_slots[node];
  {
    std::lock_guard guard(state.async_mutex);
    if (!slot.strand) {
      slot.strand.emplace(asio::make_strand(executor_));
    }
    slot.running = true;
  }
  asio::co_spawn(*slot.strand, run_async(state, node),
                 asio::bind_cancellation_slot(slot.signal.slot(),
                                              [this, &state, node](std::exception_ptr error) {
                                                after_async(state, node, std::move(error));
                                              }));
}

asio::awaitable<void> ExecutorCore::run_async(ExecutionState& state, std::uint32_t node) {
  const PlanNode& planned = plan_.nodes[node];
  Clock::time_point began;
  std::uint64_t allocations_before = 0;
  if (observed_) {
    began = Clock::now();
    node_event(state, node, true, NodeStatus::not_run, began, 0, {});
    allocations_before = memory::thread_allocation_count();  // the node's own, not observers'
  }
  Context writes;
  NodeScope scope(*state.context, state.context_lock, writes, planned.node->id(), false);
  nlohmann::json result = co_await planned.async->run(scope);
  std::vector<std::uint8_t> edge_active(planned.edge_count);
  commit(state, node, writes, std::move(result), edge_active);
  if (observed_) {
    // Allocations are those of the thread that finished it: an approximation across hops.
    const auto after = memory::thread_allocation_count();
    node_event(state, node, false, NodeStatus::executed, began,
               after >= allocations_before ? after - allocations_before : 0, {});
  }
  std::uint32_t next = settle_successors(state, node, edge_active);
  if (next != no_node) {
    state.in_flight.fetch_add(1, std::memory_order_relaxed);
    post(state, next);
  }
}

void ExecutorCore::after_async(ExecutionState& state, std::uint32_t node,
                               std::exception_ptr error) {
  {
    std::lock_guard guard(state.async_mutex);
    state.async_slots[node].running = false;
  }
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      fail(state, node, e.what());
      if (observed_) {
        node_event(state, node, false, NodeStatus::failed, Clock::now(), 0, e.what());
      }
    }
  }
  finish_one(state);
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
        state.in_flight.fetch_add(1, std::memory_order_relaxed);
        asio::post(*slot.strand, [this, &state, &slot] {
          slot.signal.emit(asio::cancellation_type::terminal);
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

void ExecutorCore::finish_one(ExecutionState& state) {
  if (state.in_flight.fetch_sub(1, std::memory_order_acq_rel) != 1) {
    return;
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
    state.cancellation.clear();
  }
  std::exception_ptr error;
  {
    std::lock_guard guard(state.async_mutex);
    error = state.error;
  }
  if (observed_) {
    std::string message;
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        message = e.what();
      }
    }
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
  state.completion.complete(std::move(error), ExecutionResult(&states(), &state));
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

}  // namespace lg::detail
