#pragma once

// A waitable count of completions, for a benchmark thread blocking until executions' callbacks
// ran. The waiter is woken only when the count it waits for is reached: a wake-up per callback
// would measure the futex.

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace lg::bench {

class CompletionCount {
 public:
  void signal() {
    const std::lock_guard guard(mutex_);
    if (++count_ == target_) {
      changed_.notify_one();
    }
  }
  /// Blocks until signal() was called `target` times in all.
  void wait_for(std::uint64_t target) {
    std::unique_lock lock(mutex_);
    target_ = target;
    changed_.wait(lock, [&] { return count_ >= target; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t count_ = 0;
  std::uint64_t target_ = 0;
};

}  // namespace lg::bench
