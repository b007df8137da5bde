#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace lg::detail {

/// A count that many threads change often and few read: each thread adds to a shard of its own
/// (no cache line moves between the thread that starts an execution and the one that ends it),
/// and a reader sums the shards. Changes and sums are sequentially consistent, so a reader that
/// sums after its own change sees every change ordered before it.
class ShardedCount {
 public:
  void add(std::int64_t delta) noexcept {
    shards_[this_shard()].value.fetch_add(delta, std::memory_order_seq_cst);
  }
  [[nodiscard]] std::int64_t sum() const noexcept {
    std::int64_t total = 0;
    for (const Shard& shard : shards_) {
      total += shard.value.load(std::memory_order_seq_cst);
    }
    return total;
  }

 private:
  static constexpr std::size_t shard_count = 16;
  struct alignas(64) Shard {
    std::atomic<std::int64_t> value{0};
  };
  static std::size_t this_shard() noexcept;

  std::array<Shard, shard_count> shards_{};
};

}  // namespace lg::detail
