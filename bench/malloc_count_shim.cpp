// Counts the C allocator's calls of a whole process, operator new's included, and prints them at
// exit. The counting target sees only operator new; this also sees what libraries take with
// malloc and aligned_alloc directly (Asio's handler memory, for one). Per execution: run a
// benchmark twice with different --benchmark_min_time and divide the difference in calls by
// the difference in executions.
//
//   LD_PRELOAD=build/bench/bench/libmalloc_count_shim.so build/bench/bench/bench_executor ...
#include <atomic>
#include <cstddef>
#include <cstdio>

extern "C" {
void* __libc_malloc(std::size_t size);                           // NOLINT: glibc's own entry points
void* __libc_memalign(std::size_t alignment, std::size_t size);  // NOLINT
}

namespace {
std::atomic<unsigned long> malloc_calls{0};
std::atomic<unsigned long> aligned_alloc_calls{0};

struct Report {
  ~Report() {
    std::fprintf(stderr, "malloc_count_shim: malloc=%lu aligned_alloc=%lu\n", malloc_calls.load(),
                 aligned_alloc_calls.load());
  }
} report;
}  // namespace

extern "C" void* malloc(std::size_t size) {
  malloc_calls.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}

extern "C" void* aligned_alloc(std::size_t alignment, std::size_t size) {
  aligned_alloc_calls.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, size);
}
