#include <logic_graph/engine/exec/executor.hpp>

#include "exec/errors.hpp"
#include "exec/executor_core.hpp"

#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

namespace lg {

Executor::Executor(const GraphDef& graph, const NodeRegistry& registry, ExecutorOptions options)
    : core_(new detail::ExecutorCore(graph, registry, std::move(options))) {}

Executor::~Executor() {
  core_->release_handle();
}

ExecutionResult Executor::run(nlohmann::json input) {
  return core_->run(std::move(input), nullptr);
}

ExecutionResult Executor::run(nlohmann::json input, const ExecutionOptions& options) {
  return core_->run(std::move(input), &options);
}

boost::asio::awaitable<void> Executor::execute(Graph& graph) {
  ExecutionResult result =
      co_await async_execute(graph.context.to_json(), boost::asio::use_awaitable);
  graph.context = result.context();
}

std::size_t Executor::in_flight() const noexcept {
  return core_->in_flight();
}

void Executor::cancel_all() noexcept {
  core_->cancel_all();
}

Runtime& Executor::runtime() const noexcept {
  return core_->runtime();
}

const boost::asio::any_io_executor& Executor::get_executor() const noexcept {
  return core_->executor();
}

ContextPool& Executor::context_pool() const noexcept {
  return core_->contexts();
}

const std::string& Executor::name() const noexcept {
  return core_->plan().name;
}

std::size_t Executor::node_count() const noexcept {
  return core_->plan().nodes.size();
}

namespace detail {

ExecutionState* prepare_execution(ExecutorCore& core, nlohmann::json&& input,
                                  const ExecutionOptions* options, std::exception_ptr& rejection) {
  return core.prepare(std::move(input), options, rejection);
}

Completion& completion_of(ExecutionState& state) noexcept {
  return state.completion;
}

void abandon_execution(ExecutionState& state) noexcept {
  state.core->abandon(state);
}

void launch_execution(ExecutionState& state, boost::asio::cancellation_slot slot,
                      bool on_executor) {
  state.finish.store(has_handler, std::memory_order_relaxed);  // given before the launch
  state.defer_completion = on_executor;
  state.core->launch(state, slot, state.core->async_launch());
}

const boost::asio::any_io_executor& executor_of(const ExecutorCore& core) noexcept {
  return core.executor();
}

IdleWaiters& idle_waiters_of(ExecutorCore& core) noexcept {
  return core.idle_waiters();
}

ExecutionResult ExecutorCore::run(nlohmann::json&& input, const ExecutionOptions* options) {
  if (rt_.on_own_thread()) {
    // Waiting here would hold up what this thread queued for itself to do next (an
    // asynchronous node's completion is a continuation of the handler that posted it), and
    // with every thread waiting so, the runtime would stop: refused rather than a hang.
    throw std::logic_error(
        "Executor::run() on one of the runtime's own threads (inside a node?): it would wait "
        "for work queued behind it; from a node run a child graph with NodeScope::start_graph "
        "or run_graph, elsewhere await async_execute()");
  }
  std::exception_ptr rejection;
  ExecutionState* state = prepare(std::move(input), options, rejection);
  if (state == nullptr) {
    std::rethrow_exception(rejection);
  }
  // With an outside io_context, the caller runs it while it waits, so that an io_context
  // nobody else runs still finishes the execution (from inside it, waiting is all it can do).
  boost::asio::io_context* io = rt_.outside_io_context();
  const bool drive = io != nullptr && !io->get_executor().running_in_this_thread();
  state->wake_on_finish = drive;
  launch(*state, {}, Launch::caller_works);
  const auto done = [state] {
    return (state->finish.load(std::memory_order_acquire) & finished) != 0;
  };
  if (drive) {
    while (!done()) {
      if (io->stopped() || io->run_one() == 0) {
        if (done()) {
          break;
        }
        stop(*state, cancelled_error());
        if ((state->finish.fetch_or(abandoned, std::memory_order_acq_rel) & finished) == 0) {
          throw ExecutionError(ExecutionError::Kind::cancelled, "",
                               "run(): the executor's io_context is stopped, so the execution "
                               "cannot finish (restart() it, or run it on another thread)");
        }
        break;  // finished after all
      }
    }
  } else {
    for (std::uint8_t seen = state->finish.load(std::memory_order_acquire); (seen & finished) == 0;
         seen = state->finish.load(std::memory_order_acquire)) {
      state->finish.wait(seen, std::memory_order_acquire);
    }
  }
  std::exception_ptr error = std::move(state->outcome);
  ExecutionResult result(state);
  if (error) {
    std::rethrow_exception(error);
  }
  return result;
}

}  // namespace detail
}  // namespace lg
