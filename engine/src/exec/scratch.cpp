#include "exec/scratch.hpp"

namespace lg::detail {
namespace {

struct ThreadScratch {
  std::size_t depth = 0;
  std::vector<std::unique_ptr<Scratch>> levels;
};
thread_local ThreadScratch this_thread_scratch;

}  // namespace

ScratchLease::ScratchLease() {
  ThreadScratch& mine = this_thread_scratch;  // one look-up of the thread-local
  if (mine.depth == mine.levels.size()) {
    mine.levels.push_back(std::make_unique<Scratch>());  // first use of this depth
  }
  scratch_ = mine.levels[mine.depth].get();
  ++mine.depth;
}

ScratchLease::~ScratchLease() {
  --this_thread_scratch.depth;
}

}  // namespace lg::detail
