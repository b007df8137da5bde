// Execution control: failure, stopping (cancellation, deadline), the units of work that decide
// when an execution is over, and completion.

#include "context/context_versions.hpp"
#include "exec/errors.hpp"
#include "exec/executor_core.hpp"
#include "exec/tickets.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <mutex>
#include <string>

namespace lg::detail {

void ExecutorCore::fail(ExecutionState& state, std::uint32_t node,
                        const std::exception_ptr& error) noexcept {
  state.status[node] = NodeStatus::failed;
  if (state.stopped.load(std::memory_order_acquire)) {
    return;  // already stopping (cancelled, deadline): the node ended because of that
  }
  const std::string& id = plan_.nodes[node].node->id();
  try {
    std::string message = describe(error);
    stop(state,
         std::make_exception_ptr(ExecutionError(ExecutionError::Kind::node_failed, id,
                                                "node '" + id + "' failed: " + message, error)));
  } catch (...) {
    stop(state, out_of_memory_error());
  }
}

void ExecutorCore::stop(ExecutionState& state, std::exception_ptr error) noexcept {
  {
    // The error is stored before `stopped` is set, under the mutex that completion takes to
    // move it out: a node that sees `stopped` and ends the execution at once must not let it
    // complete without its reason, and a stop that comes after completion began stores nothing.
    const std::lock_guard guard(state.async_mutex);
    if (state.stopped.load(std::memory_order_relaxed) ||
        state.cancel_closed.load(std::memory_order_acquire)) {
      return;  // the first reason wins
    }
    state.error = std::move(error);
    state.stopped.store(true, std::memory_order_release);
    if (state.async_slots) {
      // Running asynchronous nodes are cancelled on their own strands; each emit is a unit of
      // work until it has run (or its ticket is gone).
      for (std::size_t i = 0; i < plan_.nodes.size(); ++i) {
        AsyncSlot& slot = state.async_slots[i];
        if (slot.running) {
          state.work.fetch_add(unit, std::memory_order_relaxed);
          try {
            boost::asio::post(*slot.strand, CancelTicket(*this, state, slot));
          } catch (...) {
            // No memory for the emit: the node runs to its end; the ticket gave its unit back.
          }
        }
      }
    }
  }
  if (!state.waiters) {
    return;
  }
  // Runs waiting for their node's concurrency limit leave the queue and stay not_run. Their
  // units go back later: the caller may hold a lock that completion takes.
  std::uint64_t withdrawn = 0;
  for (std::size_t i = 0; i < plan_.nodes.size(); ++i) {
    if (plan_.nodes[i].limit && plan_.nodes[i].limit->withdraw(state.waiters[i])) {
      withdrawn += node_unit;
    }
  }
  if (withdrawn != 0) {
    try {
      rt_.post(FinishTicket(*this, state, withdrawn));
    } catch (...) {
      // The ticket, destroyed unposted, gave the units back.
    }
  }
}

void ExecutorCore::stop_running(ExecutionState& state, ExecutionError::Kind kind,
                                std::string_view reason) noexcept {
  try {
    // Name the nodes that are running now: they are the ones the stop interrupts.
    std::string running;
    std::string first;
    const auto on_lanes = state.lanes.nodes();
    for (std::uint32_t i = 0; i < plan_.nodes.size(); ++i) {
      if (state.running[i].load(std::memory_order_relaxed) != 0 ||
          std::find(on_lanes.begin(), on_lanes.end(), i) != on_lanes.end()) {
        const std::string& id = plan_.nodes[i].node->id();
        running += running.empty() ? "" : ", ";
        running += "'" + id + "'";
        if (first.empty()) {
          first = id;
        }
      }
    }
    std::string message(reason);
    if (!running.empty()) {
      message += " (running: " + running + ")";
    }
    stop(state, std::make_exception_ptr(ExecutionError(kind, first, message)));
  } catch (...) {
    stop(state,
         kind == ExecutionError::Kind::cancelled ? cancelled_error() : out_of_memory_error());
  }
}

void ExecutorCore::connect_cancellation(ExecutionState& state,
                                        boost::asio::cancellation_slot slot) {
  if (!slot.is_connected()) {
    return;
  }
  state.cancellation = slot;
  slot.assign([this, &state](boost::asio::cancellation_type) {
    // The state outlives this handler: the slot is cleared on the handler's executor, before
    // the handler runs and its result (holding the state) can go.
    if (!state.cancel_closed.load(std::memory_order_acquire)) {
      stop_running(state, ExecutionError::Kind::cancelled, "execution cancelled");
    }
  });
}

void ExecutorCore::arm_deadline(ExecutionState& state) noexcept {
  try {
    if (!state.deadline_timer) {
      state.deadline_timer.emplace(executor());
    }
    state.deadline_armed = true;
    if (state.deadline_by_clock) {
      state.deadline_timer->expires_at(state.deadline_at);  // the rest of it
    } else {
      state.deadline_timer->expires_after(*state.deadline);
    }
    state.deadline_timer->async_wait(DeadlineTicket(*this, state));
  } catch (...) {
    stop(state, out_of_memory_error());  // no memory for the timer: no deadline to wait for
  }
}

bool ExecutorCore::deadline_due(ExecutionState& state) noexcept {
  if (std::chrono::steady_clock::now() < state.deadline_at) {
    return false;
  }
  deadline_passed(state);
  return true;
}

void ExecutorCore::deadline_passed(ExecutionState& state) noexcept {
  try {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*state.deadline).count();
    stop_running(state, ExecutionError::Kind::deadline,
                 "execution exceeded its deadline of " + std::to_string(ms) + " ms");
  } catch (...) {
    stop(state, out_of_memory_error());
  }
}

void ExecutorCore::deadline_part_done(ExecutionState& state) noexcept {
  if (state.finished_parts.fetch_add(1, std::memory_order_acq_rel) == 1) {
    complete(state);
  }
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
    state.deadline_timer->cancel();
    if (state.finished_parts.fetch_add(1, std::memory_order_acq_rel) == 0) {
      return;  // the timer's handler completes
    }
  }
  complete(state);
}

void ExecutorCore::complete(ExecutionState& state) noexcept {
  state.cancel_closed.store(true, std::memory_order_release);
  std::exception_ptr error;
  {
    // Moved out, not copied: the caller becomes the error's only owner, so a pool thread that
    // later clears the pooled state never frees an exception the caller is still reading.
    const std::lock_guard guard(state.async_mutex);
    error = std::move(state.error);
  }
  ContextVersions::release_replaced(*state.context);
  if (state.traced) {
    finalize_trace(state);
  }
  if (state.observed) {
    std::string message;
    try {
      message = describe(error);
    } catch (...) {
      message = "out of memory";
    }
    execution_event(state, false, error != nullptr, message);
  }
  running_.add(-1);
  if (state.admitted) {
    rt_.done_with();
  }
  idle_.notify();
  rt_.idle_waiters().notify();
  // Handing over comes last: the handler may drop the last hold on the state, and the state's
  // on this core. A handler given at the start cannot go away; one that comes later (run(),
  // GraphRun) may take the outcome the moment it is marked finished, so the state is held
  // while waking it.
  state.outcome = std::move(error);
  const bool late = (state.finish.load(std::memory_order_acquire) & has_handler) == 0;
  if (late) {
    state.refs.fetch_add(1, std::memory_order_relaxed);
  }
  const std::uint8_t before = state.finish.fetch_or(finished, std::memory_order_acq_rel);
  if ((before & has_handler) != 0) {
    // Within its own inline launch: never from inside the initiating function.
    if (starting_on_this_thread(state) && queue_outcome(state)) {
      return;
    }
    try {
      hand_over(state);
    } catch (...) {
      try {
        spdlog::error("logic_graph: an execution's completion handler threw: {}",
                      describe(std::current_exception()));
      } catch (...) {
      }
    }
    if (late) {
      drop_ref(state);
    }
    return;
  }
  if ((before & abandoned) != 0) {
    drop_ref(state);  // nobody comes for it: the execution's hold
  } else {
    if (state.wake_on_finish) {
      try {
        boost::asio::post(executor(), [] {});  // ends the run_one() the waiting caller is in
      } catch (...) {
      }
    }
    state.finish.notify_all();
  }
  drop_ref(state);
}

bool ExecutorCore::queue_outcome(ExecutionState& state) noexcept {
  state.refs.fetch_add(1, std::memory_order_relaxed);  // the ticket's, should it never run
  try {
    rt_.post_completion(OutcomeTicket(*this, state), state.defer_completion);
  } catch (...) {
    return false;  // the ticket, destroyed unposted, let its reference go: complete here
  }
  drop_ref(state);  // the execution's: the ticket's becomes the result's
  return true;
}

void ExecutorCore::post_outcome(ExecutionState& state) {
  try {
    rt_.post_completion(OutcomeTicket(*this, state), false);
  } catch (...) {
    // The ticket, destroyed unposted, let the state go with its handler.
  }
}

}  // namespace lg::detail
