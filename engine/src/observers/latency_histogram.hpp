#pragma once

#include <array>
#include <chrono>
#include <cstdint>

namespace lg::detail {

/// Durations in log-linear buckets (8 per power of two): fixed memory, no allocation per sample,
/// percentiles within 1/8 of the true value.
class LatencyHistogram {
 public:
  void add(std::chrono::nanoseconds duration) noexcept;
  /// The duration below which `fraction` (0..1) of the samples fall: a bucket's upper bound.
  [[nodiscard]] std::chrono::nanoseconds percentile(double fraction) const noexcept;
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::chrono::nanoseconds total() const noexcept { return total_; }
  [[nodiscard]] std::chrono::nanoseconds max() const noexcept { return max_; }

 private:
  static constexpr int sub_buckets = 8;
  static constexpr int bucket_count = 64 * sub_buckets;
  std::array<std::uint64_t, bucket_count> buckets_{};
  std::uint64_t count_ = 0;
  std::chrono::nanoseconds total_{0};
  std::chrono::nanoseconds max_{0};
};

}  // namespace lg::detail
