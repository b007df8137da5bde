#pragma once

// Which nodes of an execution are running now, for the messages of a deadline or a
// cancellation. Each thread working on the execution marks its synchronous node in a lane of
// its own: a flag per node would put neighbouring nodes, run by different threads, on one cache
// line that bounces between cores on every node.

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace lg::detail {

class RunningLanes {
 public:
  static constexpr std::uint32_t idle = static_cast<std::uint32_t>(-1);
  static constexpr std::size_t count = 8;

  struct alignas(64) Lane {  // a cache line per lane: no sharing
    std::atomic<std::uint32_t> node{idle};
  };

  /// A lane taken by one thread for as long as it works on the execution; empty when all are
  /// taken (the thread marks nodes in the shared flags instead).
  class Lease {
   public:
    explicit Lease(RunningLanes& lanes) noexcept;
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    [[nodiscard]] Lane* lane() const noexcept { return lane_; }

   private:
    RunningLanes* lanes_;
    Lane* lane_ = nullptr;
    std::uint32_t bit_ = 0;
  };

  /// The nodes on lanes now (idle where none).
  [[nodiscard]] std::array<std::uint32_t, count> nodes() const noexcept {
    std::array<std::uint32_t, count> on{};
    for (std::size_t i = 0; i < count; ++i) {
      on[i] = lanes_[i].node.load(std::memory_order_relaxed);
    }
    return on;
  }

 private:
  std::array<Lane, count> lanes_;
  std::atomic<std::uint32_t> taken_{0};
};

inline RunningLanes::Lease::Lease(RunningLanes& lanes) noexcept : lanes_(&lanes) {
  constexpr std::uint32_t all = (std::uint32_t{1} << count) - 1;
  std::uint32_t taken = lanes.taken_.load(std::memory_order_relaxed);
  while ((taken & all) != all) {
    const auto bit = static_cast<std::uint32_t>(std::countr_zero(~taken & all));
    if (lanes.taken_.compare_exchange_weak(taken, taken | (std::uint32_t{1} << bit),
                                           std::memory_order_acquire)) {
      bit_ = bit;
      lane_ = &lanes.lanes_[bit];
      return;
    }
  }
}

inline RunningLanes::Lease::~Lease() {
  if (lane_ != nullptr) {
    lane_->node.store(idle, std::memory_order_relaxed);
    lanes_->taken_.fetch_and(~(std::uint32_t{1} << bit_), std::memory_order_release);
  }
}

}  // namespace lg::detail
