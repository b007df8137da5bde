#include "progress_bar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace lg::cli {
namespace {

constexpr std::size_t bar_width = 40;
constexpr auto redraw_interval = std::chrono::milliseconds(100);

}  // namespace

ProgressBar::ProgressBar(std::size_t total, bool enabled)
    : total_(std::max<std::size_t>(total, 1)), enabled_(enabled) {}

ProgressBar::~ProgressBar() {
  finish();
}

bool ProgressBar::stderr_is_terminal() noexcept {
  return ::isatty(STDERR_FILENO) == 1;
}

void ProgressBar::update(std::size_t done) {
  if (!enabled_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_draw_ < redraw_interval && done < total_) {
    return;
  }
  last_draw_ = now;
  done = std::min(done, total_);
  const std::size_t filled = done * bar_width / total_;
  std::string line = "\r[";
  line.append(filled, '#');
  line.append(bar_width - filled, '.');
  line += fmt::format("] {:3}% {}/{}", done * 100 / total_, done, total_);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressBar::finish() {
  if (shown_) {
    // Erase the whole line: carriage return, then clear to the end of the line.
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    shown_ = false;
  }
}

}  // namespace lg::cli
