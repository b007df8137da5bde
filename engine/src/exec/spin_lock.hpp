#pragma once

#include <atomic>
#include <thread>

namespace lg::detail {

/// The commit lock of an execution: held for the few instructions that publish a node's writes,
/// never across node code. Spins briefly, then yields so that a preempted holder on a busy
/// machine gets the core.
class SpinLock {
 public:
  void lock() noexcept {
    for (;;) {
      if (!locked_.exchange(true, std::memory_order_acquire)) {
        return;
      }
      for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
        if (spins >= 4) {
          std::this_thread::yield();
          spins = 0;
        }
        relax();
      }
    }
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

}  // namespace lg::detail
