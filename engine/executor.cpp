#include <logic_graph/engine/executor.hpp>

#include <logic_graph/engine/detail/executor_core.hpp>

#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

namespace lg {

Executor::Executor(const GraphDef& graph, const NodeRegistry& registry, ExecutorOptions options)
    : core_(std::make_unique<detail::ExecutorCore>(graph, registry, std::move(options))) {}

Executor::~Executor() = default;

ExecutionResult Executor::run(nlohmann::json input) {
  return async_execute(std::move(input), boost::asio::use_future).get();
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
  core.launch(state, slot);
}

const boost::asio::any_io_executor& executor_of(const ExecutorCore& core) noexcept {
  return core.executor();
}

}  // namespace detail
}  // namespace lg
