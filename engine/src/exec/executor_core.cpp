#include "exec/executor_core.hpp"

#include <algorithm>
#include <new>
#include <stdexcept>

namespace lg::detail {
namespace {

std::size_t states_to_keep(std::size_t node_count) {
  // Enough states for many executions in flight, without keeping gigabytes for huge graphs.
  return std::clamp<std::size_t>((std::size_t{1} << 22) / (node_count + 1), 2, 1024);
}

std::shared_ptr<Runtime> runtime_for(const ExecutorOptions& options) {
  if (options.runtime) {
    return options.runtime;
  }
  return std::make_shared<Runtime>(
      RuntimeOptions{.threads = options.threads, .executor = options.executor});
}

}  // namespace

ExecutorCore::ExecutorCore(const GraphDef& graph, const NodeRegistry& registry,
                           ExecutorOptions options)
    : runtime_(runtime_for(options)),
      rt_(runtime_->state()),
      own_runtime_(!options.runtime),
      plan_(Plan::build(graph, registry, runtime_)),
      options_(std::move(options)),
      contexts_(options_.context_pool
                    ? options_.context_pool
                    : std::shared_ptr<ContextPool>(runtime_, &runtime_->context_pool())),
      max_helpers_(rt_.concurrency()),
      idle_([this] { return running_.sum() <= 0; }),
      states_(memory::PoolConfig{.max_pooled = states_to_keep(plan_.nodes.size()),
                                 .initial_capacity = plan_.nodes.size(),
                                 .track_stats = false}) {
  rt_.add_core(*this);
}

ExecutorCore::~ExecutorCore() {
  rt_.remove_core(*this);
}

void ExecutorCore::release_handle() noexcept {
  // A runtime of its own: wait for the executions, as an Executor with its own threads always
  // did. Not on those threads (the wait would never end), and not for an outside executor that
  // nobody may be running any more.
  if (own_runtime_ && rt_.owns_threads() && !rt_.on_own_thread()) {
    try {
      runtime_->shutdown();
    } catch (...) {
      // Out of memory for the wait: the executions keep the core alive anyway.
    }
  }
  release();
}

void ExecutorCore::release() noexcept {
  if (holders_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete this;
  }
}

memory::detail::PoolCore& ExecutorCore::states() noexcept {
  return memory::detail::core_of(states_);
}

void ExecutorCore::register_state(ExecutionState& state) {
  const std::lock_guard guard(registry_mutex_);
  registry_.push_back(&state);
  state.registered = true;
}

void ExecutorCore::unregister_state(ExecutionState& state) noexcept {
  const std::lock_guard guard(registry_mutex_);
  std::erase(registry_, &state);
}

ExecutionState* ExecutorCore::prepare(nlohmann::json&& input, const ExecutionOptions* options,
                                      std::exception_ptr& rejection, bool child) {
  if (!input.is_object() && !input.is_null() && plan_.input_key.empty()) {  // null: no input
    throw std::invalid_argument(std::string("execution input must be a JSON object, found ") +
                                input.type_name());
  }
  // The process ran out of memory a moment ago (memory_reserve.hpp) and the reserve is not back
  // yet: an execution begins only with it in place, or the next failed allocation, wherever it
  // lands (a destructor, Asio's noexcept code), has nothing to fall back on.
  if (!memory::reserve_in_place()) {
    throw std::bad_alloc();
  }
  if (!child) {
    rejection = rt_.admit();
    if (rejection) {
      return nullptr;
    }
  }
  try {
    auto lease = states_.acquire();
    ExecutionState& state = *lease;
    state.core = this;
    if (!state.registered) {
      register_state(state);
    }
    state.admitted = !child;
    state.id = rt_.next_execution_id();
    state.context = contexts_->acquire();
    if (!plan_.input_key.empty()) {
      state.context->set(plan_.input_key, std::move(input));
    } else if (input.is_object()) {
      // No node runs yet: plain writes.
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
    if (plan_.has_limits && !state.waiters) {
      state.waiters = std::make_unique<LimitWaiter[]>(plan_.nodes.size());
    }
    state.deadline =
        options != nullptr && options->deadline ? options->deadline : options_.deadline;
    state.budget_bytes = options != nullptr && options->memory_budget_bytes
                             ? options->memory_budget_bytes
                             : options_.memory_budget_bytes;
    if (options != nullptr) {
      state.observers.assign(options->observers.begin(), options->observers.end());
      state.traced = options->trace;
    }
    state.observed =
        !rt_.observers().empty() || !options_.observers.empty() || !state.observers.empty();
    memory::detail::detach(std::move(lease));  // owned by the execution until it completes
    state.refs.store(1, std::memory_order_relaxed);
    holders_.fetch_add(1, std::memory_order_relaxed);
    running_.add(1);
    return &state;
  } catch (...) {
    if (!child) {
      rt_.done_with();
    }
    throw;
  }
}

void ExecutorCore::abandon(ExecutionState& state) noexcept {
  running_.add(-1);
  if (state.admitted) {
    rt_.done_with();
  }
  idle_.notify();
  drop_ref(state);
}

void ExecutorCore::drop_ref(ExecutionState& state) noexcept {
  if (state.refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    states().release(&state);
    release();  // the state's hold on the core: may delete it
  }
}

std::size_t ExecutorCore::in_flight() const noexcept {
  return static_cast<std::size_t>(std::max<std::int64_t>(0, running_.sum()));
}

void ExecutorCore::cancel_all() noexcept {
  // References are taken under the lock and dropped after it: dropping the last one may destroy
  // a state, which leaves the registry under the same lock.
  std::vector<ExecutionState*> live;
  {
    const std::lock_guard guard(registry_mutex_);
    try {
      live.reserve(registry_.size());
    } catch (...) {
      return;  // no memory to cancel with
    }
    for (ExecutionState* state : registry_) {
      std::uint32_t refs = state->refs.load(std::memory_order_acquire);
      while (refs != 0 &&
             !state->refs.compare_exchange_weak(refs, refs + 1, std::memory_order_acq_rel)) {
      }
      if (refs != 0) {
        live.push_back(state);
      }
    }
  }
  for (ExecutionState* state : live) {
    if (!state->cancel_closed.load(std::memory_order_acquire)) {
      stop_running(*state, ExecutionError::Kind::cancelled, "execution cancelled (cancel_all)");
    }
    drop_ref(*state);
  }
}

}  // namespace lg::detail
