#include <logic_graph/engine/observers/logging_observer.hpp>

#include <string>

#include <spdlog/spdlog.h>

namespace lg {
namespace {
double microseconds_of(std::chrono::nanoseconds duration) {
  return static_cast<double>(duration.count()) / 1e3;
}
}  // namespace

LoggingObserver::LoggingObserver(std::shared_ptr<spdlog::logger> logger)
    : logger_(std::move(logger)) {}

spdlog::logger& LoggingObserver::logger() const {
  return logger_ ? *logger_ : *spdlog::default_logger_raw();
}

void LoggingObserver::on_execution_start(const ExecutionEvent& event) {
  logger().info("execution {} of '{}' started", event.execution_id, event.graph_name);
}

void LoggingObserver::on_execution_end(const ExecutionEvent& event) {
  if (event.succeeded) {
    logger().info("execution {} of '{}' finished in {:.1f} us", event.execution_id,
                  event.graph_name, microseconds_of(event.duration));
  } else {
    logger().warn("execution {} of '{}' failed after {:.1f} us: {}", event.execution_id,
                  event.graph_name, microseconds_of(event.duration), event.error);
  }
}

void LoggingObserver::on_node_end(const NodeEvent& event) {
  if (event.status == NodeStatus::failed) {
    logger().warn("execution {}: node '{}' ({}) failed after {:.1f} us: {}", event.execution_id,
                  event.node_id, event.node_type, microseconds_of(event.duration), event.error);
  } else {
    logger().debug("execution {}: node '{}' ({}) {} in {:.1f} us, {} allocations",
                   event.execution_id, event.node_id, event.node_type, to_string(event.status),
                   microseconds_of(event.duration),
                   event.allocations ? std::to_string(*event.allocations) : std::string("-"));
  }
}

}  // namespace lg
