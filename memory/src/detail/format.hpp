#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace lg::memory::detail {

/// Bytes as mebibytes with two decimals: `0.23`.
std::string megabytes(double bytes);
/// A duration the way people read it: `850ns`, `12.500µs`, `1.234ms`, `2.100s`.
std::string format_duration(std::chrono::nanoseconds duration);

}  // namespace lg::memory::detail
