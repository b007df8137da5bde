#include "wrappers/circuit.hpp"

#include <algorithm>

namespace lg::detail {

Circuit::Admission Circuit::admit(Clock::time_point now) noexcept {
  const std::lock_guard guard(mutex_);
  if (state_ == State::open) {
    const Clock::time_point trial = opened_at_ + settings_.reset;
    if (now < trial) {
      return {.retry_in = std::max(std::chrono::ceil<std::chrono::milliseconds>(trial - now),
                                   std::chrono::milliseconds(1))};
    }
    state_ = State::half_open;
    probes_running_ = 0;
    probes_passed_ = 0;
  }
  if (state_ == State::half_open) {
    if (probes_running_ + probes_passed_ >= settings_.probes) {
      return {.retry_in = std::chrono::milliseconds(1)};  // the trials are under way
    }
    ++probes_running_;
    return {.admitted = true, .probe = true};
  }
  return {.admitted = true};
}

bool Circuit::end(const Admission& run, Outcome outcome, Clock::time_point now) noexcept {
  const std::lock_guard guard(mutex_);
  if (run.probe) {
    --probes_running_;
    if (state_ != State::half_open) {
      return false;  // another probe decided already
    }
    if (outcome == Outcome::succeeded && ++probes_passed_ >= settings_.probes) {
      state_ = State::closed;
      failures_ = 0;
    } else if (outcome == Outcome::failed) {
      state_ = State::open;
      opened_at_ = now;
      return true;
    }
    return false;
  }
  if (state_ != State::closed || outcome == Outcome::neither) {
    return false;
  }
  if (outcome == Outcome::succeeded) {
    failures_ = 0;
    return false;
  }
  if (++failures_ >= settings_.failure_threshold) {
    state_ = State::open;
    opened_at_ = now;
    return true;
  }
  return false;
}

}  // namespace lg::detail
