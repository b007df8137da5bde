#pragma once

#include <logic_graph/engine/observers/observer.hpp>

#include <spdlog/logger.h>

#include <memory>

namespace lg {

/// Logs through spdlog: executions at info, nodes at debug, failures at warn.
class LoggingObserver : public ExecutionObserver {
 public:
  /// Logs to `logger` (spdlog's default logger when null).
  explicit LoggingObserver(std::shared_ptr<spdlog::logger> logger = nullptr);

  void on_execution_start(const ExecutionEvent& event) override;
  void on_execution_end(const ExecutionEvent& event) override;
  void on_node_end(const NodeEvent& event) override;

 private:
  spdlog::logger& logger() const;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace lg
