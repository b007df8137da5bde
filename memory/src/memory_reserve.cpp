#include <logic_graph/memory/memory_reserve.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

namespace lg::memory {
namespace {

// The C allocator's, not operator new's: the reserve is not the program's memory in the figures.
constinit std::atomic<void*> reserve{nullptr};
constinit std::atomic<std::size_t> reserve_size{0};
void on_out_of_memory() {
  if (void* block = reserve.exchange(nullptr, std::memory_order_acq_rel)) {
    std::free(block);
    detail::memory_low_flag.store(true, std::memory_order_release);
    return;  // operator new tries again, and finds the memory given back
  }
  throw std::bad_alloc();
}

}  // namespace

constinit std::atomic<bool> detail::memory_low_flag{false};

void reserve_memory(std::size_t bytes) {
  void* block = std::malloc(bytes == 0 ? 1 : bytes);
  if (block == nullptr) {
    throw std::bad_alloc();
  }
  reserve_size.store(bytes, std::memory_order_relaxed);
  std::free(reserve.exchange(block, std::memory_order_acq_rel));
  detail::memory_low_flag.store(false, std::memory_order_release);
  std::set_new_handler(&on_out_of_memory);
}

bool restore_memory_reserve() noexcept {
  if (!detail::memory_low_flag.load(std::memory_order_acquire)) {
    return true;
  }
  void* block = std::malloc(reserve_size.load(std::memory_order_relaxed));
  if (block == nullptr) {
    return false;
  }
  void* expected = nullptr;
  if (!reserve.compare_exchange_strong(expected, block, std::memory_order_acq_rel)) {
    std::free(block);  // another thread restored it first
  }
  detail::memory_low_flag.store(false, std::memory_order_release);
  return true;
}

}  // namespace lg::memory
