// Replaces the global operator new and delete so that every heap allocation of the program is
// counted in lg::memory::global_metrics(). Linked only into programs that ask for it, through
// the logic_graph::alloc_counting target.
//
// Counts are batched per thread and folded into the shared atomics every few dozen events (or
// at once for large blocks), so counting costs a few thread-local additions per allocation.
// Bytes are the allocator's usable size of each block, the memory the program really holds.

#include <logic_graph/memory/memory_metrics.hpp>
#include "detail/counting_hook.hpp"

#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

// Flush after this many events or this many bytes, whichever comes first: small enough that
// peak_bytes() stays within a few hundred KiB per thread, large enough to keep atomics rare.
constexpr std::uint32_t flush_every_events = 64;
constexpr std::uint64_t flush_every_bytes = 256 * 1024;

// Trivially destructible, so it is usable at any point of a thread's life, even after the
// thread's other thread_local objects are gone.
struct PendingCounts {
  std::uint64_t allocations;
  std::uint64_t deallocations;
  std::uint64_t bytes_allocated;
  std::uint64_t bytes_freed;
  std::uint64_t thread_total;  // every allocation of this thread, never reset
  std::uint32_t events;
  bool exit_flush_registered;
  bool thread_exited;  // after the exit flush, count straight into the globals
};
constinit thread_local PendingCounts pending{};

void flush_pending() noexcept {
  if (pending.events == 0) {
    return;
  }
  lg::memory::detail::metrics_without_flush().record(pending.allocations, pending.deallocations,
                                                     pending.bytes_allocated, pending.bytes_freed);
  pending.allocations = pending.deallocations = pending.bytes_allocated = pending.bytes_freed = 0;
  pending.events = 0;
}

// Flushes what a thread still holds when it ends.
struct ExitFlush {
  ~ExitFlush() {
    flush_pending();
    pending.thread_exited = true;
  }
};

void register_exit_flush() noexcept {
  pending.exit_flush_registered = true;
  // Registering the destructor allocates with calloc, not operator new: no recursion.
  static thread_local ExitFlush exit_flush;
  (void)exit_flush;
}

void after_event(std::uint64_t bytes) noexcept {
  if (pending.thread_exited) {
    flush_pending();
    return;
  }
  if (!pending.exit_flush_registered) {
    register_exit_flush();  // a short-lived thread's counts must not be lost
  }
  if (++pending.events >= flush_every_events || bytes >= flush_every_bytes ||
      lg::memory::detail::exact_counting.load(std::memory_order_relaxed)) {
    flush_pending();
  }
}

void count_allocation(void* block) noexcept {
  const std::uint64_t bytes = malloc_usable_size(block);
  ++pending.allocations;
  ++pending.thread_total;
  pending.bytes_allocated += bytes;
  after_event(bytes);
}

void count_deallocation(void* block) noexcept {
  const std::uint64_t bytes = malloc_usable_size(block);
  ++pending.deallocations;
  pending.bytes_freed += bytes;
  after_event(bytes);
}

void* allocate(std::size_t size, std::size_t alignment) noexcept {
  if (size == 0) {
    size = 1;
  }
  void* block = nullptr;
  if (alignment <= alignof(std::max_align_t)) {
    block = std::malloc(size);
  } else if (posix_memalign(&block, alignment, size) != 0) {
    block = nullptr;
  }
  return block;
}

// An allocation inject_allocation_failure() chose to fail.
bool injected_failure() noexcept {
  auto& left = lg::memory::detail::allocations_until_failure;
  return left.load(std::memory_order_relaxed) >= 0 &&
         left.fetch_sub(1, std::memory_order_relaxed) == 0;
}

// The standard's operator new: retry through the new-handler, throw when there is none. An
// injected failure is the C allocator saying no, once: the new-handler is asked as for a real
// one.
void* allocate_or_throw(std::size_t size, std::size_t alignment) {
  bool fail = injected_failure();
  for (;;) {
    if (void* block = fail ? nullptr : allocate(size, alignment)) {
      count_allocation(block);
      return block;
    }
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) {
      throw std::bad_alloc();
    }
    handler();
    fail = false;
  }
}

void* allocate_nothrow(std::size_t size, std::size_t alignment) noexcept {
  try {
    return allocate_or_throw(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

void deallocate(void* block) noexcept {
  if (block != nullptr) {
    count_deallocation(block);
    std::free(block);
  }
}

std::uint64_t thread_total() noexcept {
  return pending.thread_total;
}

[[maybe_unused]] const bool hook_installed = [] {
  lg::memory::detail::install_counting_hook(&flush_pending, &thread_total);
  return true;
}();

}  // namespace

constexpr std::size_t default_alignment = alignof(std::max_align_t);

void* operator new(std::size_t size) {
  return allocate_or_throw(size, default_alignment);
}
void* operator new[](std::size_t size) {
  return allocate_or_throw(size, default_alignment);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate_nothrow(size, default_alignment);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate_nothrow(size, default_alignment);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return allocate_or_throw(size, static_cast<std::size_t>(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return allocate_or_throw(size, static_cast<std::size_t>(alignment));
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate_nothrow(size, static_cast<std::size_t>(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate_nothrow(size, static_cast<std::size_t>(alignment));
}

void operator delete(void* block) noexcept {
  deallocate(block);
}
void operator delete[](void* block) noexcept {
  deallocate(block);
}
void operator delete(void* block, std::size_t) noexcept {
  deallocate(block);
}
void operator delete[](void* block, std::size_t) noexcept {
  deallocate(block);
}
void operator delete(void* block, const std::nothrow_t&) noexcept {
  deallocate(block);
}
void operator delete[](void* block, const std::nothrow_t&) noexcept {
  deallocate(block);
}
void operator delete(void* block, std::align_val_t) noexcept {
  deallocate(block);
}
void operator delete[](void* block, std::align_val_t) noexcept {
  deallocate(block);
}
void operator delete(void* block, std::size_t, std::align_val_t) noexcept {
  deallocate(block);
}
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept {
  deallocate(block);
}
void operator delete(void* block, std::align_val_t, const std::nothrow_t&) noexcept {
  deallocate(block);
}
void operator delete[](void* block, std::align_val_t, const std::nothrow_t&) noexcept {
  deallocate(block);
}
