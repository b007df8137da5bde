#pragma once

#include <chrono>
#include <cstddef>

namespace lg::cli {

/// A one-line progress bar on stderr, redrawn at most ten times a second; draws nothing when
/// disabled (stderr is not a terminal), so logs and pipes never see carriage returns.
class ProgressBar {
 public:
  /// A bar counting up to `total`.
  ProgressBar(std::size_t total, bool enabled);
  /// Erases the bar if still shown.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Shows `done` of the total, unless the last redraw was very recent.
  void update(std::size_t done);
  /// Erases the bar, leaving the line clean for what follows.
  void finish();

  /// True when stderr is a terminal: where a bar belongs.
  [[nodiscard]] static bool stderr_is_terminal() noexcept;

 private:
  std::size_t total_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace lg::cli
