#include <logic_graph/engine/exec/executor.hpp>

#include "exec/executor_core.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <condition_variable>
#include <mutex>

namespace lg {

Executor::Executor(const GraphDef& graph, const NodeRegistry& registry, ExecutorOptions options)
    : core_(std::make_unique<detail::ExecutorCore>(graph, registry, std::move(options))) {}

Executor::~Executor() = default;

ExecutionResult Executor::run(nlohmann::json input) {
  // The calling thread works on the execution too (like a task scheduler's wait), so a graph
  // without parallelism runs entirely here, with no thread hand-off.
  struct Waiter {
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::exception_ptr error;
    ExecutionResult result;
  } waiter;
  detail::ExecutionState& state = core_->prepare(std::move(input));
  auto on_done = [&waiter](std::exception_ptr error, ExecutionResult result) {
    std::lock_guard guard(waiter.mutex);
    waiter.error = std::move(error);
    waiter.result = std::move(result);
    waiter.done = true;
    waiter.finished.notify_one();
  };
  try {
    state.completion.emplace(
        boost::asio::bind_executor(boost::asio::system_executor(), std::move(on_done)),
        core_->executor());
  } catch (...) {
    core_->abandon(state);
    throw;
  }
  core_->launch(state, {}, true);
  std::unique_lock lock(waiter.mutex);
  waiter.finished.wait(lock, [&] { return waiter.done; });
  if (waiter.error) {
    std::rethrow_exception(waiter.error);
  }
  return std::move(waiter.result);
}

boost::asio::awaitable<void> Executor::execute(Graph& graph) {
  ExecutionResult result =
      co_await async_execute(graph.context.to_json(), boost::asio::use_awaitable);
  graph.context = result.context();
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

ExecutionState& prepare_execution(ExecutorCore& core, nlohmann::json input) {
  return core.prepare(std::move(input));
}

Completion& completion_of(ExecutionState& state) noexcept {
  return state.completion;
}

void abandon_execution(ExecutorCore& core, ExecutionState& state) noexcept {
  core.abandon(state);
}

void launch_execution(ExecutorCore& core, ExecutionState& state,
                      boost::asio::cancellation_slot slot) {
  core.launch(state, slot, false);
}

const boost::asio::any_io_executor& executor_of(const ExecutorCore& core) noexcept {
  return core.executor();
}

}  // namespace detail
}  // namespace lg
