#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace lg::detail {

/// A circuit breaker's state, shared by every execution that runs through it; thread-safe.
///
/// Closed: runs go through; `failure_threshold` failures in a row open it. Open: runs are
/// refused until `reset` has passed; then half open: up to `probes` trial runs go through (the
/// others are refused); as many successes close it, one failure opens it again.
class Circuit {
 public:
  using Clock = std::chrono::steady_clock;
  struct Settings {
    std::int64_t failure_threshold = 5;
    std::chrono::milliseconds reset{30'000};
    std::int64_t probes = 1;
  };
  /// What admit() decided.
  struct Admission {
    bool admitted = false;
    bool probe = false;                     ///< a half-open circuit's trial run
    std::chrono::milliseconds retry_in{0};  ///< refused: until the next trial
  };
  /// How an admitted run ended.
  enum class Outcome : std::uint8_t { succeeded, failed, neither };

  explicit Circuit(const Settings& settings) noexcept : settings_(settings) {}

  [[nodiscard]] Admission admit(Clock::time_point now) noexcept;
  /// Ends an admitted run; true when this failure opened the circuit.
  bool end(const Admission& run, Outcome outcome, Clock::time_point now) noexcept;
  [[nodiscard]] const Settings& settings() const noexcept { return settings_; }

 private:
  enum class State : std::uint8_t { closed, open, half_open };

  const Settings settings_;
  std::mutex mutex_;
  State state_ = State::closed;
  std::int64_t failures_ = 0;  // in a row, while closed
  Clock::time_point opened_at_{};
  std::int64_t probes_running_ = 0;
  std::int64_t probes_passed_ = 0;
};

}  // namespace lg::detail
