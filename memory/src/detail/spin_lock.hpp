#pragma once

#include <atomic>
#include <thread>

namespace lg::memory::detail {

/// A lock for critical sections of a few instructions: one atomic exchange to take it, and a
/// yield after a short spin so that a preempted holder on an oversubscribed machine gets the core.
class SpinLock {
 public:
  void lock() noexcept {
    for (;;) {
      if (!locked_.exchange(true, std::memory_order_acquire)) {
        return;
      }
      for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
        if (spins >= max_spins) {
          std::this_thread::yield();
          spins = 0;
        }
      }
    }
  }
  bool try_lock() noexcept {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  static constexpr int max_spins = 64;
  std::atomic<bool> locked_{false};
};

}  // namespace lg::memory::detail
