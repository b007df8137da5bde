#pragma once

#include <atomic>
#include <thread>

namespace lg::memory::detail {

/// A lock for critical sections of a few instructions: one atomic exchange to take it; a waiter
/// spins (pausing) `SpinsBeforeYield` times, then yields, so that a preempted holder on a busy
/// machine gets the core. The pools' shared lists use it, and so does the engine's commit lock.
template <int SpinsBeforeYield>
class BasicSpinLock {
 public:
  void lock() noexcept {
    for (;;) {
      if (!locked_.exchange(true, std::memory_order_acquire)) {
        return;
      }
      for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
        if (spins >= SpinsBeforeYield) {
          std::this_thread::yield();
          spins = 0;
        }
        relax();
      }
    }
  }
  bool try_lock() noexcept {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  // Tells the core this is a spin-wait: less power, and the holder's core gets the memory bus.
  static void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }

  std::atomic<bool> locked_{false};
};

/// The pools' lock: their critical sections are short and rarely contended.
using SpinLock = BasicSpinLock<64>;

}  // namespace lg::memory::detail
