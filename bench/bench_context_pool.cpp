// Context pooling, measured: the founding guide's "with / without pool" table (1, 100 and 1000
// live contexts, on 1 and 2 threads) and its "reuse rate vs allocations" table. Heap allocations
// come from logic_graph::alloc_counting (every operator new counted), not from declared figures.
//
// Counters:
//   allocs/ctx        real heap allocations per context, all threads of the run together
//   reuse_%           pool reuse rate over the timed loop only (warm-up excluded)
//   items_per_second  contexts per second of wall time, all threads together (UseRealTime)
//   BM_ReuseRate:     reuse_%, contexts_created, heap_allocs per 10 rounds x 100 acquisitions
//
// bench/run_memory.sh runs this with repetitions and prints the tables of medians.

#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/memory/memory_metrics.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

namespace {

using lg::memory::global_metrics;

// The guide's "without pool" builds each context with the pool's default key capacity, so both
// sides start from the same object.
constexpr std::size_t kKeyCapacity = lg::PoolConfig{}.initial_capacity;
constexpr std::size_t kMaxContexts = 1000;
constexpr int kMaxThreads = 2;

// Lets the threads of one benchmark run meet; a spin barrier because it must not allocate (it
// runs inside the allocation window) and the thread count is only known at run time.
class SpinBarrier {
 public:
  void arrive_and_wait(int threads) noexcept {
    const unsigned generation = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == threads) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
      return;
    }
    while (generation_.load(std::memory_order_acquire) == generation) {
      std::this_thread::yield();
    }
  }

 private:
  std::atomic<int> arrived_{0};
  std::atomic<unsigned> generation_{0};
};

SpinBarrier run_barrier;  // benchmarks run one after another, so one barrier serves them all

struct NoSnapshot {
  void operator()() const noexcept {}
};

// Counts the heap allocations made by all threads of a run between start() and stop().
//
// global_metrics() folds in only the calling thread's pending counts, so a thread reading the
// global total would miss the other thread's unflushed allocations and catch its setup ones.
// Instead every thread flushes, they meet, and thread 0 alone reads the total. The figure is the
// whole run's (all threads), reported once by thread 0; Google Benchmark sums counters over
// threads (thread 1 sets none) and kAvgIterations divides by the iterations of all threads, so
// allocs/ctx is allocations per context whatever the thread count.
class AllocationWindow {
 public:
  explicit AllocationWindow(const benchmark::State& state) noexcept
      : threads_(state.threads()), first_(state.thread_index() == 0) {}

  [[nodiscard]] bool first() const noexcept { return first_; }

  // Every thread calls this just before its timed loop; `snapshot` runs on thread 0 while the
  // other threads wait, so it sees the same instant as the allocation count.
  template <class Snapshot = NoSnapshot>
  void start(Snapshot snapshot = {}) {
    settle();
    if (first_) {
      before_ = global_metrics().total_allocations();
      snapshot();
    }
    run_barrier.arrive_and_wait(threads_);
  }

  // Every thread calls this just after its timed loop. Returns the run's allocations on thread 0
  // (0 elsewhere). The last barrier keeps thread 1's teardown (counter maps, thread exit) out.
  template <class Snapshot = NoSnapshot>
  std::uint64_t stop(Snapshot snapshot = {}) {
    settle();
    std::uint64_t allocations = 0;
    if (first_) {
      allocations = global_metrics().total_allocations() - before_;
      snapshot();
    }
    run_barrier.arrive_and_wait(threads_);
    return allocations;
  }

 private:
  void settle() noexcept {
    (void)global_metrics();  // flushes this thread's pending counts
    run_barrier.arrive_and_wait(threads_);
  }

  int threads_;
  bool first_;
  std::uint64_t before_ = 0;
};

double reuse_percent(const lg::PoolStats& before, const lg::PoolStats& after) {
  const lg::PoolStats delta{.total_acquired = after.total_acquired - before.total_acquired,
                            .reused = after.reused - before.reused};
  return delta.reuse_rate();
}

bool require_counting(benchmark::State& state) {
  if (lg::memory::allocation_counting_enabled()) {
    return true;
  }
  state.SkipWithError("logic_graph::alloc_counting is not linked: allocations would be unmeasured");
  return false;
}

void report_per_context(benchmark::State& state, std::size_t count, std::uint64_t allocations) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
  if (state.thread_index() == 0) {
    state.counters["allocs/ctx"] =
        benchmark::Counter(static_cast<double>(allocations) / static_cast<double>(count),
                           benchmark::Counter::kAvgIterations);
  }
}

// Without pool: each context is built, given two keys and destroyed. All `count` are alive at
// once, as in the guide's "100 contexts".
void BM_WithoutPool(benchmark::State& state) {
  if (!require_counting(state)) {
    return;
  }
  const auto count = static_cast<std::size_t>(state.range(0));
  std::vector<lg::Context> contexts;
  contexts.reserve(count);  // the vector's own growth is not what is measured

  AllocationWindow window{state};
  window.start();
  std::int64_t batch = 0;
  for (auto _ : state) {
    for (std::size_t item = 0; item < count; ++item) {
      lg::Context& ctx = contexts.emplace_back(kKeyCapacity);
      ctx.set("batch", batch);
      ctx.set("item", static_cast<std::int64_t>(item));
    }
    contexts.clear();
    ++batch;
  }
  report_per_context(state, count, window.stop());
}

// With pool: the same work on leased contexts. `pool` is shared by every thread of the run.
void run_with_pool(benchmark::State& state, lg::ContextPool& pool) {
  if (!require_counting(state)) {
    return;
  }
  const auto count = static_cast<std::size_t>(state.range(0));
  std::vector<lg::ContextLease> leases;
  leases.reserve(count);
  const auto round = [&](std::int64_t batch) {
    for (std::size_t item = 0; item < count; ++item) {
      lg::ContextLease& ctx = leases.emplace_back(pool.acquire());
      ctx->set("batch", batch);
      ctx->set("item", static_cast<std::int64_t>(item));
    }
    leases.clear();  // every lease hands its context back
  };
  // Warm start. First enough contexts for every thread's working set at once: a warm-up round
  // alone can leave the pool short when the threads' rounds happen not to overlap, and the
  // timed loop would then create the missing ones. Then one round per thread, because Google
  // Benchmark starts fresh threads for every run and the pool files idle contexts per thread
  // shard.
  if (state.thread_index() == 0) {
    pool.reserve(count * static_cast<std::size_t>(state.threads()));
  }
  run_barrier.arrive_and_wait(state.threads());
  round(0);

  AllocationWindow window{state};
  lg::PoolStats before;
  lg::PoolStats after;
  window.start([&] { before = pool.stats(); });
  std::int64_t batch = 0;
  for (auto _ : state) {
    round(++batch);
  }
  const std::uint64_t allocations = window.stop([&] { after = pool.stats(); });
  report_per_context(state, count, allocations);
  if (window.first()) {
    state.counters["reuse_%"] = reuse_percent(before, after);
  }
}

// Holds every context the table asks for at once (1000 on each of 2 threads), so the rows
// measure reuse rather than the pool's discard path.
lg::ContextPool& sized_pool() {
  static lg::ContextPool pool{{.max_pooled = kMaxContexts * kMaxThreads}};
  return pool;
}

// The default PoolConfig (max_pooled 100): what a user gets without sizing the pool.
lg::ContextPool& default_pool() {
  static lg::ContextPool pool;
  return pool;
}

void BM_WithPool(benchmark::State& state) {
  run_with_pool(state, sized_pool());
}
void BM_WithDefaultPool(benchmark::State& state) {
  run_with_pool(state, default_pool());
}

// The guide's "reuse rate vs allocations", measured: 10 rounds of 100 contexts on a fresh pool
// that keeps `target` idle contexts and starts with them (reserve), so `target`% of every round
// is served by reuse. Pool construction and warm start are outside the timing and the counts.
void BM_ReuseRate(benchmark::State& state) {
  if (!require_counting(state)) {
    return;
  }
  constexpr int kRounds = 10;
  constexpr std::size_t kPerRound = 100;
  const auto target = static_cast<std::size_t>(state.range(0));
  std::vector<lg::ContextLease> leases;
  leases.reserve(kPerRound);
  std::optional<lg::ContextPool> pool;

  double reuse_sum = 0;
  double created_sum = 0;
  double allocations_sum = 0;
  for (auto _ : state) {
    state.PauseTiming();
    pool.emplace(lg::PoolConfig{.max_pooled = target});
    pool->reserve(target);
    AllocationWindow window{state};
    lg::PoolStats before;
    lg::PoolStats after;
    window.start([&] { before = pool->stats(); });
    state.ResumeTiming();

    for (int round = 0; round < kRounds; ++round) {
      for (std::size_t item = 0; item < kPerRound; ++item) {
        lg::ContextLease& ctx = leases.emplace_back(pool->acquire());
        ctx->set("batch", round);
        ctx->set("item", static_cast<std::int64_t>(item));
      }
      leases.clear();
    }

    state.PauseTiming();
    allocations_sum += static_cast<double>(window.stop([&] { after = pool->stats(); }));
    reuse_sum += reuse_percent(before, after);
    created_sum += static_cast<double>(after.created - before.created);
    pool.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kRounds * static_cast<std::int64_t>(kPerRound));
  state.counters["reuse_%"] = benchmark::Counter(reuse_sum, benchmark::Counter::kAvgIterations);
  state.counters["contexts_created"] =
      benchmark::Counter(created_sum, benchmark::Counter::kAvgIterations);
  state.counters["heap_allocs"] =
      benchmark::Counter(allocations_sum, benchmark::Counter::kAvgIterations);
}

// Wall time (UseRealTime): with 2 threads items_per_second is then the throughput of both.
BENCHMARK(BM_WithoutPool)->Arg(1)->Arg(100)->Arg(1000)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_WithPool)->Arg(1)->Arg(100)->Arg(1000)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_WithDefaultPool)->Arg(100)->Arg(1000)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_ReuseRate)->Arg(0)->Arg(50)->Arg(90)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
