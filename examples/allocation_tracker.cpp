// AllocationTracker: what a piece of code allocates, measured (this program links
// logic_graph::alloc_counting, so every operator new is counted).

#include <logic_graph/memory/allocation_tracker.hpp>

#include <spdlog/spdlog.h>

#include <iostream>
#include <string>
#include <vector>

namespace {

/// Builds 1000 strings too long for small-string storage: one heap block each.
std::vector<std::string> make_words() {
  std::vector<std::string> words;
  words.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    words.emplace_back(64, static_cast<char>('a' + i % 26));
  }
  return words;
}

}  // namespace

int main() {
  spdlog::set_pattern("%v");  // plain report lines, without timestamps
  std::cout << "Counting allocations: " << std::boolalpha
            << lg::memory::allocation_counting_enabled() << '\n';

  // stop() logs `[name] Allocations: N, Bytes: B (x MB), Duration: d` and returns the figures.
  lg::memory::AllocationTracker tracker{"my_operation"};
  const std::vector<std::string> words = make_words();
  const lg::memory::MemoryDiff figures = tracker.stop();

  std::cout << "Words built: " << words.size() << '\n';
  std::cout << "At least one allocation per word: " << (figures.allocations >= 1000) << '\n';
  std::cout << "Still in use afterwards: " << (figures.bytes > 0) << '\n';

  // Without stop(), the tracker reports when it goes out of scope.
  {
    lg::memory::AllocationTracker scoped{"scoped_operation"};
    const std::vector<double> samples(10'000, 1.0);
  }
}
