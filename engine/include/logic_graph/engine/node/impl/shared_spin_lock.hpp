#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace lg::detail {

/// A reader/writer lock for short critical sections, in one atomic word. Readers enter by
/// compare-and-swap only while no writer holds it, so nothing changes the word under a writer,
/// and the writer leaves with a plain store. Waiters spin briefly, then yield. Meets
/// SharedLockable, so std::shared_lock and std::unique_lock work with it.
class SharedSpinLock {
 public:
  void lock_shared() noexcept {
    std::uint32_t state = state_.load(std::memory_order_relaxed);
    for (int spins = 0;; ++spins) {
      if ((state & writer) == 0 &&
          state_.compare_exchange_weak(state, state + reader, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
        return;
      }
      if ((state & writer) != 0) {
        pause(spins);
        state = state_.load(std::memory_order_relaxed);
      }
    }
  }
  void unlock_shared() noexcept { state_.fetch_sub(reader, std::memory_order_release); }

  void lock() noexcept {
    for (int spins = 0;; ++spins) {
      std::uint32_t expected = 0;
      if (state_.compare_exchange_weak(expected, writer, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
        return;
      }
      pause(spins);
    }
  }
  void unlock() noexcept { state_.store(0, std::memory_order_release); }

  /// Turns the caller's shared hold into the exclusive one if no one else holds the lock; on
  /// false the caller still holds it shared.
  bool try_upgrade() noexcept {
    std::uint32_t expected = reader;
    return state_.compare_exchange_strong(expected, writer, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }

 private:
  static constexpr std::uint32_t writer = 1;
  static constexpr std::uint32_t reader = 2;

  static void pause(int& spins) noexcept {
    if (spins >= 64) {
      std::this_thread::yield();  // the holder may be preempted on a busy machine
      spins = 0;
    }
  }

  std::atomic<std::uint32_t> state_{0};
};

}  // namespace lg::detail
