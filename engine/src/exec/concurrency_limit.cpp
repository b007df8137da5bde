#include "exec/concurrency_limit.hpp"

namespace lg::detail {

bool ConcurrencyLimit::try_enter(LimitWaiter& waiter) noexcept {
  const std::lock_guard guard(mutex_);
  if (running_ < max_) {
    ++running_;
    return true;
  }
  waiter.prev = tail_;
  waiter.next = nullptr;
  (tail_ != nullptr ? tail_->next : head_) = &waiter;
  tail_ = &waiter;
  waiter.queued = true;
  return false;
}

LimitWaiter* ConcurrencyLimit::leave() noexcept {
  const std::lock_guard guard(mutex_);
  LimitWaiter* first = head_;
  if (first == nullptr) {
    --running_;
    return nullptr;
  }
  head_ = first->next;
  (head_ != nullptr ? head_->prev : tail_) = nullptr;
  first->queued = false;
  return first;  // takes over the leaving run's place: running_ stays
}

bool ConcurrencyLimit::withdraw(LimitWaiter& waiter) noexcept {
  const std::lock_guard guard(mutex_);
  if (!waiter.queued) {
    return false;
  }
  (waiter.prev != nullptr ? waiter.prev->next : head_) = waiter.next;
  (waiter.next != nullptr ? waiter.next->prev : tail_) = waiter.prev;
  waiter.queued = false;
  return true;
}

}  // namespace lg::detail
