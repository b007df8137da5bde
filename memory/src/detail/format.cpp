#include "detail/format.hpp"

#include <fmt/format.h>

namespace lg::memory::detail {

std::string megabytes(double bytes) {
  return fmt::format("{:.2f}", bytes / (1024.0 * 1024.0));
}

std::string format_duration(std::chrono::nanoseconds duration) {
  const auto ns = duration.count();
  const auto abs_ns = ns < 0 ? -ns : ns;
  const auto scaled = static_cast<double>(ns);
  if (abs_ns < 1'000) {
    return fmt::format("{}ns", ns);
  }
  if (abs_ns < 1'000'000) {
    return fmt::format("{:.3f}µs", scaled / 1e3);
  }
  if (abs_ns < 1'000'000'000) {
    return fmt::format("{:.3f}ms", scaled / 1e6);
  }
  return fmt::format("{:.3f}s", scaled / 1e9);
}

}  // namespace lg::memory::detail
