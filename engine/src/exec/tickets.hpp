#pragma once

// The handlers the engine posts or hands to Asio. Each holds what keeps the execution's
// accounting right: run, it does its part; destroyed unrun (its executor shut down with the
// execution in flight, or the post itself failed), it gives back what it held, so that the
// execution still completes and nothing is left behind.

#include "exec/errors.hpp"
#include "exec/executor_core.hpp"
#include "node/leaf_hand_over.hpp"

#include <boost/system/error_code.hpp>

#include <coroutine>

#include <exception>
#include <utility>

namespace lg::detail {

/// Moves the ticket's hold with it.
class ExecutorCore::TicketBase {
 public:
  TicketBase(ExecutorCore& core, ExecutionState& state) noexcept : core_(&core), state_(&state) {}
  TicketBase(TicketBase&& other) noexcept
      : core_(other.core_), state_(std::exchange(other.state_, nullptr)), ran_(other.ran_) {}
  TicketBase(const TicketBase&) = delete;
  TicketBase& operator=(const TicketBase&) = delete;
  TicketBase& operator=(TicketBase&&) = delete;

 protected:
  ~TicketBase() = default;
  ExecutorCore* core_;
  ExecutionState* state_;
  bool ran_ = false;
};

/// A helper for an execution; holds a reference on its state.
class ExecutorCore::HelperTicket : TicketBase {
 public:
  using TicketBase::TicketBase;
  HelperTicket(HelperTicket&&) noexcept = default;
  ~HelperTicket() {
    if (state_ != nullptr) {
      if (!ran_) {
        core_->abandon_helper(*state_);
      }
      core_->drop_ref(*state_);
    }
  }
  void operator()() {
    ran_ = true;
    core_->help(*state_);
  }
};

/// The completion of a node's coroutine; holds a reference on its state.
class ExecutorCore::AsyncTicket : TicketBase {
 public:
  AsyncTicket(ExecutorCore& core, ExecutionState& state, std::uint32_t node) noexcept
      : TicketBase(core, state), node_(node) {}
  AsyncTicket(AsyncTicket&&) noexcept = default;
  ~AsyncTicket() {
    if (state_ != nullptr) {
      if (!ran_) {
        core_->after_async(*state_, node_, abandoned_error());
      }
      core_->drop_ref(*state_);
    }
  }
  void operator()(std::exception_ptr error) {
    ran_ = true;
    core_->after_async(*state_, node_, std::move(error));
  }

 private:
  std::uint32_t node_;
};

/// The end of a TaskNode's wait on Asio (a leaf): resumes the task, with the wait's error.
/// Holds a reference on the state. Destroyed unrun, it ends the node as abandoned (the task is
/// not resumed), unless that happened while the leaf was being handed over (spawn_leaf then
/// reports it to the task).
class ExecutorCore::LeafTicket : TicketBase {
 public:
  LeafTicket(ExecutorCore& core, ExecutionState& state, std::uint32_t node,
             std::exception_ptr& error, std::coroutine_handle<> waiting) noexcept
      : TicketBase(core, state), node_(node), error_(&error), waiting_(waiting) {}
  LeafTicket(LeafTicket&&) noexcept = default;
  ~LeafTicket() {
    if (state_ != nullptr) {
      if (!ran_) {
        core_->coroutine_ended(*state_, node_);
        if (!LeafHandOver::dropped_now(error_)) {
          core_->leaf_abandoned(*state_, node_);
        }
      }
      core_->drop_ref(*state_);
    }
  }
  void operator()(std::exception_ptr error) {
    ran_ = true;
    core_->coroutine_ended(*state_, node_);
    if (!error && state_->async_slots[node_].cancel_at_start) {
      error = operation_aborted_error();
    }
    *error_ = std::move(error);
    waiting_.resume();  // the task goes on here; its end may complete the node
  }

 private:
  std::uint32_t node_;
  std::exception_ptr* error_;
  std::coroutine_handle<> waiting_;
};

/// A cancellation on a node's strand; holds a unit of the execution's work.
class ExecutorCore::CancelTicket : TicketBase {
 public:
  CancelTicket(ExecutorCore& core, ExecutionState& state, AsyncSlot& slot) noexcept
      : TicketBase(core, state), slot_(&slot) {}
  CancelTicket(CancelTicket&&) noexcept = default;
  ~CancelTicket() {
    if (state_ != nullptr) {
      core_->finish_one(*state_);
    }
  }
  void operator()() {
    if (slot_->begun) {
      slot_->signal.emit(boost::asio::cancellation_type::terminal);
    } else {
      slot_->cancel_at_start = true;
    }
  }

 private:
  AsyncSlot* slot_;
};

/// The deadline timer's wait; its end is one of the two parts completion waits for.
class ExecutorCore::DeadlineTicket : TicketBase {
 public:
  using TicketBase::TicketBase;
  DeadlineTicket(DeadlineTicket&&) noexcept = default;
  ~DeadlineTicket() {
    if (state_ != nullptr) {
      core_->deadline_part_done(*state_);
    }
  }
  void operator()(const boost::system::error_code& error) {
    if (!error) {
      core_->deadline_passed(*state_);
    }
  }
};

/// A node that waited for its concurrency limit and now holds a place; holds a reference on its
/// state and the node's unit of work.
class ExecutorCore::ResumeTicket : TicketBase {
 public:
  ResumeTicket(ExecutorCore& core, ExecutionState& state, std::uint32_t node) noexcept
      : TicketBase(core, state), node_(node) {}
  ResumeTicket(ResumeTicket&&) noexcept = default;
  ~ResumeTicket() {
    if (state_ != nullptr) {
      if (!ran_) {
        core_->leave_limit(*state_, node_);
        core_->finish_node(*state_);
      }
      core_->drop_ref(*state_);
    }
  }
  void operator()() {
    ran_ = true;
    if (const std::uint64_t done = core_->run_chain(*state_, node_, true); done != 0) {
      core_->finish(*state_, done);
    }
  }

 private:
  std::uint32_t node_;
};

/// Gives back units of work later, off the stack of a caller that may hold a lock.
class ExecutorCore::FinishTicket : TicketBase {
 public:
  FinishTicket(ExecutorCore& core, ExecutionState& state, std::uint64_t what) noexcept
      : TicketBase(core, state), what_(what) {}
  FinishTicket(FinishTicket&&) noexcept = default;
  ~FinishTicket() {
    if (state_ != nullptr) {
      core_->finish(*state_, what_);
    }
  }
  void operator()() noexcept {}

 private:
  std::uint64_t what_;
};

/// Hands a finished execution's outcome to a handler that came late; holds the execution's
/// reference, which the result takes over.
class ExecutorCore::OutcomeTicket : TicketBase {
 public:
  using TicketBase::TicketBase;
  OutcomeTicket(OutcomeTicket&&) noexcept = default;
  ~OutcomeTicket() {
    if (state_ != nullptr && !ran_) {
      core_->drop_ref(*state_);  // the handler goes with the state
    }
  }
  void operator()() {
    ran_ = true;
    ExecutorCore::hand_over(*std::exchange(state_, nullptr));
  }
};

}  // namespace lg::detail
