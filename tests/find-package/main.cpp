// Uses the installed headers and both exported targets; exits non-zero when anything is off.
#include <logic_graph/logic_graph.hpp>

#include <cstdio>
#include <vector>

int main() {
  lg::ContextPool pool;
  {
    auto ctx = pool.acquire();
    ctx->set("answer", 42);
  }
  auto ctx = pool.acquire();
  const auto before = lg::memory::MemoryProfiler::snapshot();
  std::vector<int> numbers(1000);
  const auto diff = lg::memory::MemoryProfiler::snapshot().diff(before);

  const bool ok = ctx->empty() && pool.stats().reused == 1 &&
                  lg::memory::allocation_counting_enabled() && diff.allocations == 1;
  std::printf("consumer: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
