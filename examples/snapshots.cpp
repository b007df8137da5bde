// Snapshots: take one before and one after, and print the difference.

#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/memory/memory_profiler.hpp>

#include <iostream>
#include <map>
#include <string>

using lg::memory::MemoryProfiler;

int main() {
  const lg::memory::MemorySnapshot before = MemoryProfiler::snapshot();

  // The work under measurement: a map that stays alive, so its bytes are still in use.
  std::map<int, std::string> names;
  for (int i = 0; i < 1000; ++i) {
    names.emplace(i, "name number " + std::to_string(i) + " long enough for the heap");
  }

  const lg::memory::MemorySnapshot after = MemoryProfiler::snapshot();
  const lg::memory::MemoryDiff diff = after.diff(before);
  // `Δ Allocations: +N, Δ Bytes: +B (+x MB), Duration: d`
  std::cout << diff.format() << '\n';

  std::cout << "Entries: " << names.size() << '\n';
  std::cout << "Two allocations per entry (node and string): " << std::boolalpha
            << (diff.allocations >= 2000) << '\n';
  // Process-wide totals since start, the snapshots' source.
  std::cout << lg::memory::global_metrics().summary() << '\n';
}
