#pragma once

#include <logic_graph/engine/context/context.hpp>

#include "exec/plan.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lg::detail {

/// Scratch for running nodes: reused, so that a node run allocates nothing of its own.
struct Scratch {
  Context writes{16};
  std::vector<std::uint8_t> edge_active;
  std::vector<std::uint32_t> skipped;
  std::vector<std::uint32_t> ready;
  std::vector<std::string> reads;

  /// Room for any node of `plan`: settling edges never allocates after this.
  void reserve_for(const Plan& plan) {
    if (ready.capacity() < plan.nodes.size()) {
      ready.reserve(plan.nodes.size());
      skipped.reserve(plan.nodes.size());
      edge_active.reserve(plan.edges.size());
    }
  }
};

/// The calling thread's scratch for one level of nesting: a node that runs a child graph inline
/// keeps its own scratch (its write buffer) while the child's nodes use the next level's.
class ScratchLease {
 public:
  ScratchLease();
  ~ScratchLease();
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  [[nodiscard]] Scratch& scratch() const noexcept { return *scratch_; }

 private:
  Scratch* scratch_;
};

}  // namespace lg::detail
