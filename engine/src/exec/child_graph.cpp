// Child graphs: an execution started from inside a node (NodeScope::start_graph), run on the
// calling thread as far as it goes, and its GraphRun.

#include <logic_graph/engine/exec/graph_run.hpp>

#include "exec/errors.hpp"
#include "exec/executor_core.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace lg {
namespace detail {

GraphRun ExecutorCore::start_child(nlohmann::json&& input, const ExecutionState& parent) {
  std::exception_ptr rejection;
  ExecutionState* state = prepare(std::move(input), nullptr, rejection, true);
  state->parent_stopped.store(&parent.stopped, std::memory_order_release);
  state->parent_id = parent.id;
  launch(*state, {}, Launch::caller_works);
  return GraphRun(state);
}

}  // namespace detail

GraphRun::GraphRun(GraphRun&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}

GraphRun& GraphRun::operator=(GraphRun&& other) noexcept {
  if (this != &other) {
    abandon();
    state_ = std::exchange(other.state_, nullptr);
  }
  return *this;
}

GraphRun::~GraphRun() {
  abandon();
}

void GraphRun::abandon() noexcept {
  detail::ExecutionState* state = std::exchange(state_, nullptr);
  if (state == nullptr) {
    return;
  }
  detail::ExecutorCore& core = *state->core;
  state->parent_stopped.store(nullptr, std::memory_order_release);  // the parent may go first
  core.stop(*state, detail::parent_stopped_error());
  if ((state->finish.fetch_or(detail::abandoned, std::memory_order_acq_rel) & detail::finished) !=
      0) {
    core.drop_ref(*state);  // finished already: nobody else lets it go
  }
}

bool GraphRun::ready() const noexcept {
  return state_ != nullptr &&
         (state_->finish.load(std::memory_order_acquire) & detail::finished) != 0;
}

ExecutionResult GraphRun::result() {
  if (!ready()) {
    throw std::logic_error("GraphRun::result(): the execution has not finished (use wait())");
  }
  detail::ExecutionState* state = std::exchange(state_, nullptr);
  std::exception_ptr error = std::move(state->outcome);
  ExecutionResult result(state);
  if (error) {
    std::rethrow_exception(error);
  }
  return result;
}

boost::asio::awaitable<ExecutionResult> GraphRun::wait() {
  if (state_ == nullptr) {
    throw std::logic_error("GraphRun::wait(): no execution (moved from, or taken already)");
  }
  if (ready()) {
    co_return result();
  }
  // The handler takes the execution over only when the operation starts: a wait cancelled
  // before that throws at the co_await and leaves the execution here, to be abandoned.
  co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                                 void(std::exception_ptr, ExecutionResult)>(
      [this](auto handler) {
        detail::ExecutionState* state = std::exchange(state_, nullptr);
        state->core->await_outcome(*state, std::move(handler));
      },
      boost::asio::use_awaitable);
}

}  // namespace lg
