// Pool statistics after a fixed single-threaded sequence, so every figure is exact.

#include <logic_graph/engine/context/context_pool.hpp>

#include <cstdio>
#include <utility>
#include <vector>

int main() {
  lg::ContextPool pool;  // defaults: max_pooled = 100
  constexpr int kRounds = 10;
  constexpr int kInFlight = 10;

  // Each round holds 10 contexts at once, then returns them all. The first round has to
  // create them; the other nine find them idle.
  std::vector<lg::ContextLease> leases;
  leases.reserve(kInFlight);
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kInFlight; ++i) {
      auto ctx = pool.acquire();
      ctx->set("round", round);
      leases.push_back(std::move(ctx));
    }
    leases.clear();  // ending a lease returns its context
  }

  const lg::PoolStats stats = pool.stats();
  std::printf("Total acquired: %llu\n", static_cast<unsigned long long>(stats.total_acquired));
  std::printf("Reused: %llu\n", static_cast<unsigned long long>(stats.reused));
  std::printf("Created: %llu\n", static_cast<unsigned long long>(stats.created));
  std::printf("Current pool size: %zu\n", stats.current_pool_size);
  std::printf("Peak pool size: %zu\n", stats.peak_pool_size);
  std::printf("Reuse rate: %.2f%%\n", stats.reuse_rate());
  // The pool's own shortcut gives the same figure.
  std::printf("pool.reuse_rate(): %.2f%%\n", pool.reuse_rate());
}
