#pragma once

#include <atomic>
#include <cstddef>
#include <vector>

namespace lg::test {

// A poolable type that counts its own lives, so a test can see what a pool creates, empties
// and destroys, from any thread.
struct CountedBuffer {
  static inline std::atomic<int> alive{0};
  static inline std::atomic<int> cleared{0};

  explicit CountedBuffer(std::size_t capacity) {
    data.reserve(capacity);
    ++alive;
  }
  ~CountedBuffer() { --alive; }
  CountedBuffer(const CountedBuffer&) = delete;
  CountedBuffer& operator=(const CountedBuffer&) = delete;
  void clear() noexcept {
    data.clear();
    ++cleared;
  }

  std::vector<int> data;
};

}  // namespace lg::test
