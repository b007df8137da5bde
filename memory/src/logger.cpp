#include <logic_graph/memory/logger.hpp>

#include <spdlog/spdlog.h>

#include <atomic>

namespace lg::memory {
namespace {
// An atomic shared_ptr: reports may be logged from any thread while a test swaps the logger.
std::atomic<std::shared_ptr<spdlog::logger>>& custom_logger() {
  static std::atomic<std::shared_ptr<spdlog::logger>> instance;
  return instance;
}
}  // namespace

std::shared_ptr<spdlog::logger> logger() {
  if (auto custom = custom_logger().load()) {
    return custom;
  }
  return spdlog::default_logger();
}

void set_logger(std::shared_ptr<spdlog::logger> logger) {
  custom_logger().store(std::move(logger));
}

}  // namespace lg::memory
