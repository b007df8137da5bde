#pragma once

#include <logic_graph/memory/memory_metrics.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace lg::memory {

/// The difference between two snapshots.
struct MemoryDiff {
  std::int64_t allocations = 0;       ///< allocations made in between
  std::int64_t deallocations = 0;     ///< deallocations made in between
  std::int64_t bytes = 0;             ///< change of bytes in use (negative when memory was freed)
  std::uint64_t allocated_bytes = 0;  ///< bytes allocated in between, whatever was freed
  std::chrono::nanoseconds duration{0};

  /// `Δ Allocations: +N, Δ Bytes: +B (+x MB), Duration: d`
  [[nodiscard]] std::string format() const;
};

/// The global metrics and the time at one instant.
struct MemorySnapshot {
  std::uint64_t allocations = 0;
  std::uint64_t deallocations = 0;
  std::uint64_t allocated_bytes = 0;
  std::uint64_t current_bytes = 0;
  std::uint64_t peak_bytes = 0;
  std::chrono::steady_clock::time_point taken_at{};

  /// This snapshot minus an earlier one.
  [[nodiscard]] MemoryDiff diff(const MemorySnapshot& before) const noexcept;
};

namespace detail {
template <class T>
struct awaitable_value;
template <class T, class Executor>
struct awaitable_value<boost::asio::awaitable<T, Executor>> {
  using type = T;
};
}  // namespace detail

/// Measures what a piece of code allocates and how long it takes, and logs it.
///
/// @code
/// auto v = lg::memory::MemoryProfiler::profile(
///     "fill", [] { return std::vector<int>(1'000'000); });
/// auto before = lg::memory::MemoryProfiler::snapshot();
/// work();
/// spdlog::info(lg::memory::MemoryProfiler::snapshot().diff(before).format());
/// @endcode
class MemoryProfiler {
 public:
  /// The global metrics now.
  [[nodiscard]] static MemorySnapshot snapshot() noexcept;

  /// Runs `f`, logs `[name] Δ Allocations: ...` and returns what `f` returned.
  template <class F>
  static decltype(auto) profile(std::string_view name, F&& f);

  /// Awaits `f()` (an `asio::awaitable<T>`), logs like profile() and yields its value.
  template <class F>
  static auto profile_async(std::string name, F f)
      -> boost::asio::awaitable<typename detail::awaitable_value<std::invoke_result_t<F&>>::type>;

  /// Logs one `[name] Δ ...` line at info level through lg::memory::logger().
  static void report(std::string_view name, const MemoryDiff& diff);
};

template <class F>
decltype(auto) MemoryProfiler::profile(std::string_view name, F&& f) {
  // Reports from a destructor so that the figures are logged whether f returns or throws.
  struct Reporter {
    std::string_view name;
    MemorySnapshot before = snapshot();
    ~Reporter() { report(name, snapshot().diff(before)); }
  } reporter{name};
  return std::forward<F>(f)();
}

template <class F>
auto MemoryProfiler::profile_async(std::string name, F f)
    -> boost::asio::awaitable<typename detail::awaitable_value<std::invoke_result_t<F&>>::type> {
  using T = typename detail::awaitable_value<std::invoke_result_t<F&>>::type;
  const MemorySnapshot before = snapshot();
  if constexpr (std::is_void_v<T>) {
    co_await f();
    report(name, snapshot().diff(before));
  } else {
    T result = co_await f();
    report(name, snapshot().diff(before));
    co_return result;
  }
}

}  // namespace lg::memory
