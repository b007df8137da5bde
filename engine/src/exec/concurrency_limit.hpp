#pragma once

#include <cstdint>
#include <mutex>

namespace lg::detail {

struct ExecutionState;

/// A node run waiting for its node's concurrency limit; one per node of each execution state,
/// so that waiting never allocates.
struct LimitWaiter {
  ExecutionState* state = nullptr;
  std::uint32_t node = 0;
  LimitWaiter* prev = nullptr;
  LimitWaiter* next = nullptr;
  bool queued = false;  // guarded by the limit's mutex
};

/// A node's `concurrency`: at most `max` runs of it at once across all executions of its
/// executor. A run that finds no room waits in a FIFO queue, holding no thread; the run that
/// leaves hands its place to the first waiter.
class ConcurrencyLimit {
 public:
  explicit ConcurrencyLimit(std::uint32_t max) noexcept : max_(max) {}

  /// True when the run may start now; otherwise `waiter` is queued and will be handed a place
  /// by leave().
  bool try_enter(LimitWaiter& waiter) noexcept;
  /// A run left: the waiter that takes its place (it holds the place already), or nullptr.
  LimitWaiter* leave() noexcept;
  /// Takes `waiter` out of the queue; false when it was not queued (leave() took it).
  bool withdraw(LimitWaiter& waiter) noexcept;

  [[nodiscard]] std::uint32_t max() const noexcept { return max_; }

 private:
  std::mutex mutex_;
  std::uint32_t max_;
  std::uint32_t running_ = 0;
  LimitWaiter* head_ = nullptr;
  LimitWaiter* tail_ = nullptr;
};

}  // namespace lg::detail
