#pragma once

#include <logic_graph/memory/logger.hpp>

#include <spdlog/sinks/ostream_sink.h>

#include <memory>
#include <sstream>
#include <string>

namespace lg::test {

/// Sends the memory module's log lines to a string for the lifetime of the object.
class LogCapture {
 public:
  LogCapture() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    sink->set_pattern("%v");
    memory::set_logger(std::make_shared<spdlog::logger>("capture", std::move(sink)));
  }
  ~LogCapture() { memory::set_logger(nullptr); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  [[nodiscard]] std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
};

}  // namespace lg::test
