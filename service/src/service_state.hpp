#pragma once

#include "graph_catalog.hpp"
#include "service_metrics.hpp"

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/service/router.hpp>
#include <logic_graph/service/server_options.hpp>

#include <boost/beast/http/status.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace lg::service::detail {

/// What the routes share: the runtime, the options, the graphs, the figures.
class ServiceState {
 public:
  ServiceState(std::shared_ptr<Runtime> runtime, ServerOptions options);

  std::shared_ptr<Runtime> runtime;
  ServerOptions options;
  std::shared_ptr<spdlog::logger> logger;
  ServiceMetrics metrics;
  GraphCatalog catalog;
  std::atomic<bool> stopping{false};
  std::chrono::system_clock::time_point started = std::chrono::system_clock::now();
};

/// Sets `response` to `status` with a JSON `body` (keep-alive is the caller's).
void set_json(Response& response, boost::beast::http::status status, std::string body);
/// Sets `response` to an error: `{"error": message, "node"?, "kind"?}`.
void set_error(Response& response, boost::beast::http::status status, std::string_view message,
               std::string_view node = {}, std::string_view kind = {});
/// Seconds a refused client should wait before it tries again (Retry-After).
inline constexpr std::string_view retry_after_seconds = "1";

/// /metrics: the service's figures and the runtime's, in Prometheus' text format 0.0.4.
[[nodiscard]] std::string prometheus_text(const ServiceState& state);

/// POST /v1/graphs/{name}/execute: runs `graph` with the request's body as input.
boost::asio::awaitable<void> execute_route(ServiceState& state,
                                           std::shared_ptr<const LoadedGraph> graph,
                                           const Request& request, Response& response, bool trace);

}  // namespace lg::service::detail
