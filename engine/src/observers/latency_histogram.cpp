#include "observers/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace lg::detail {
namespace {

constexpr int sub_bits = 3;  // 8 sub-buckets

int bucket_of(std::uint64_t ns) noexcept {
  if (ns < (1U << sub_bits)) {
    return static_cast<int>(ns);  // small values are exact
  }
  const int exponent = std::bit_width(ns) - 1;  // >= sub_bits
  const auto mantissa = static_cast<int>((ns >> (exponent - sub_bits)) & ((1U << sub_bits) - 1));
  return ((exponent - sub_bits + 1) << sub_bits) + mantissa;
}

std::uint64_t upper_bound_of(int bucket) noexcept {
  if (bucket < (1 << sub_bits)) {
    return static_cast<std::uint64_t>(bucket);
  }
  const int exponent = (bucket >> sub_bits) + sub_bits - 1;
  const auto mantissa = static_cast<std::uint64_t>(bucket & ((1 << sub_bits) - 1));
  const std::uint64_t low = (std::uint64_t{1} << exponent) | (mantissa << (exponent - sub_bits));
  return low + (std::uint64_t{1} << (exponent - sub_bits)) - 1;
}

}  // namespace

void LatencyHistogram::add(std::chrono::nanoseconds duration) noexcept {
  const auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(0, duration.count()));
  ++buckets_[static_cast<std::size_t>(std::min(bucket_of(ns), bucket_count - 1))];
  ++count_;
  total_ += duration;
  max_ = std::max(max_, duration);
}

std::chrono::nanoseconds LatencyHistogram::percentile(double fraction) const noexcept {
  if (count_ == 0) {
    return std::chrono::nanoseconds(0);
  }
  const auto rank = static_cast<std::uint64_t>(
      std::ceil(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (int bucket = 0; bucket < bucket_count; ++bucket) {
    seen += buckets_[static_cast<std::size_t>(bucket)];
    if (seen >= std::max<std::uint64_t>(rank, 1)) {
      const auto bound = static_cast<std::int64_t>(upper_bound_of(bucket));
      return std::min(std::chrono::nanoseconds(bound), max_);
    }
  }
  return max_;
}

}  // namespace lg::detail
