// TaskNodes' tasks: run inline by start_suspendable until they wait on Asio; each such wait (a
// leaf) runs on the node's strand, bound to its cancellation signal, as an AsyncNode's
// coroutine does, and its end resumes the task where it completes.

#include "exec/errors.hpp"
#include "exec/executor_core.hpp"
#include "exec/tickets.hpp"
#include "node/leaf_hand_over.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>

#include <mutex>

namespace lg::detail {

bool SlotTaskHost::spawn(boost::asio::awaitable<void> leaf, std::exception_ptr& error,
                         std::coroutine_handle<> waiting) noexcept {
  return state->core->spawn_leaf(*state, node, std::move(leaf), error, waiting);
}

void SlotTaskHost::finished() noexcept {
  state->core->task_finished(*state, node);
}

bool ExecutorCore::spawn_leaf(ExecutionState& state, std::uint32_t node,
                              boost::asio::awaitable<void> leaf, std::exception_ptr& error,
                              std::coroutine_handle<> waiting) noexcept {
  AsyncSlot& slot = state.async_slots[node];
  // Assigned once, into an empty one: Asio 1.81's awaitable move assignment does not destroy
  // a frame it replaces (an earlier form of start_suspendable leaked a node's coroutine so).
  boost::asio::awaitable<void> coroutine;
  try {
    coroutine = run_leaf(slot, std::move(leaf));  // before anything is taken: it may throw
    if (!mark_running(state, slot)) {
      error = operation_aborted_error();
      return false;
    }
  } catch (...) {
    error = out_of_memory_error();  // no frame, or no strand
    return false;
  }
  state.refs.fetch_add(1, std::memory_order_relaxed);  // the ticket's hold
  // Nothing of the slot or the state is touched once co_spawn has returned: the leaf may have
  // ended on another thread, and the execution with it.
  const LeafHandOver hand_over(&error);
  try {
    boost::asio::co_spawn(*slot.strand, std::move(coroutine),
                          boost::asio::bind_cancellation_slot(
                              slot.signal.slot(), LeafTicket(*this, state, node, error, waiting)));
  } catch (...) {
    // The ticket, destroyed unrun while handing over, ended the leaf and let go of its hold.
    error = std::current_exception();
    return false;
  }
  if (hand_over.dropped()) {
    error = abandoned_error();  // Asio threw the leaf away (its strand was shut down)
    return false;
  }
  return true;
}

boost::asio::awaitable<void> ExecutorCore::run_leaf(AsyncSlot& slot,
                                                    boost::asio::awaitable<void> leaf) {
  slot.begun = true;
  if (slot.cancel_at_start) {
    co_return;  // the ticket tells the task it was cancelled
  }
  co_await std::move(leaf);
}

nlohmann::json ExecutorCore::take_task_result(AsyncSlot& slot) {
  struct LetGo {
    AsyncSlot& slot;
    ~LetGo() { slot.task.reset(); }
  } const let_go{slot};
  return slot.task->take_result();
}

void ExecutorCore::leaf_abandoned(ExecutionState& state, std::uint32_t node) noexcept {
  // The runtime is shutting down under the task: it is not resumed (its code would run inside
  // the io_context's destruction); it ends here, failed, as an abandoned AsyncNode does.
  AsyncSlot& slot = state.async_slots[node];
  slot.task.reset();
  complete_async(state, node, abandoned_error(), nlohmann::json());
}

void ExecutorCore::task_finished(ExecutionState& state, std::uint32_t node) noexcept {
  AsyncSlot& slot = state.async_slots[node];
  std::exception_ptr error;
  nlohmann::json result;
  try {
    result = take_task_result(slot);
  } catch (...) {
    error = std::current_exception();
  }
  complete_async(state, node, std::move(error), std::move(result));
}

}  // namespace lg::detail
