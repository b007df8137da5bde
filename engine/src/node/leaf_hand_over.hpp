#pragma once

#include <utility>

namespace lg::detail {

/// Marks the wait on Asio (a task's leaf) this thread is handing over with co_spawn. When Asio
/// destroys the leaf's completion handler during the hand-over without throwing (its strand
/// was shut down), the handler notes it here instead of resuming the task, and the one handing
/// over reports it: the task is still inside its own await_suspend then.
class LeafHandOver {
 public:
  explicit LeafHandOver(const void* leaf) noexcept
      : leaf_(leaf), previous_(std::exchange(current_, this)) {}
  ~LeafHandOver() { current_ = previous_; }
  LeafHandOver(const LeafHandOver&) = delete;
  LeafHandOver& operator=(const LeafHandOver&) = delete;

  /// For a leaf's handler destroyed unrun: true (and noted) when its hand-over is under way.
  static bool dropped_now(const void* leaf) noexcept {
    for (LeafHandOver* hand_over = current_; hand_over != nullptr;
         hand_over = hand_over->previous_) {
      if (hand_over->leaf_ == leaf) {
        hand_over->dropped_ = true;
        return true;
      }
    }
    return false;
  }
  /// True when the handler was destroyed during the hand-over.
  [[nodiscard]] bool dropped() const noexcept { return dropped_; }

 private:
  static inline thread_local LeafHandOver* current_ = nullptr;
  const void* leaf_;
  LeafHandOver* previous_;
  bool dropped_ = false;
};

}  // namespace lg::detail
