#pragma once

#include <spdlog/logger.h>

#include <memory>

namespace lg::memory {

/// Where the memory module logs its reports: spdlog's default logger unless set.
[[nodiscard]] std::shared_ptr<spdlog::logger> logger();
/// Sends the memory module's reports to `logger` (nullptr: back to spdlog's default).
void set_logger(std::shared_ptr<spdlog::logger> logger);

}  // namespace lg::memory
