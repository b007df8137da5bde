// The routes: one look at the target picks the endpoint (no regular expressions); the answers
// other than /execute are small and built on the spot.

#include "json_writer.hpp"
#include "service_state.hpp"

#include <logic_graph/nodes/builtin_nodes.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <ctime>

namespace lg::service {

namespace http = boost::beast::http;
using detail::ServiceState;

namespace detail {

namespace {

ExecutorOptions executor_options(const std::shared_ptr<Runtime>& runtime,
                                 const ServerOptions& options) {
  ExecutorOptions base{.runtime = runtime, .memory_budget_bytes = options.memory_budget_bytes};
  if (options.timeout.count() > 0) {
    base.deadline = options.timeout;
  }
  return base;
}

std::shared_ptr<spdlog::logger> logger_of(const ServerOptions& options) {
  return options.logger ? options.logger : spdlog::default_logger();
}

}  // namespace

ServiceState::ServiceState(std::shared_ptr<Runtime> shared_runtime, ServerOptions service_options)
    : runtime(std::move(shared_runtime)),
      options(std::move(service_options)),
      logger(logger_of(options)),
      catalog(options.graphs_dir, options.registry ? *options.registry : builtin_nodes(),
              executor_options(runtime, options), metrics, logger) {}

void set_json(Response& response, http::status status, std::string body) {
  response.result(status);
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(body);
}

void set_error(Response& response, http::status status, std::string_view message,
               std::string_view node, std::string_view kind) {
  set_json(response, status, error_body(message, node, kind));
}

}  // namespace detail

namespace {

enum class Route { none, healthz, readyz, metrics, graphs, graph, execute };

struct Target {
  Route route = Route::none;
  std::string_view graph;  // for graph and execute
  bool trace = false;
};

bool trace_asked(std::string_view query) {
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    if (pair == "trace=1" || pair == "trace=true" || pair == "trace") {
      return true;
    }
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
  }
  return false;
}

Target parse_target(std::string_view target) {
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  Target parsed;
  if (path == "/healthz") {
    parsed.route = Route::healthz;
  } else if (path == "/readyz") {
    parsed.route = Route::readyz;
  } else if (path == "/metrics") {
    parsed.route = Route::metrics;
  } else if (path == "/v1/graphs" || path == "/v1/graphs/") {
    parsed.route = Route::graphs;
  } else if (path.starts_with("/v1/graphs/")) {
    std::string_view rest = path.substr(std::string_view("/v1/graphs/").size());
    constexpr std::string_view execute = "/execute";
    if (rest.ends_with(execute)) {
      rest.remove_suffix(execute.size());
      parsed.route = Route::execute;
    } else {
      parsed.route = Route::graph;
    }
    if (rest.empty() || rest.find('/') != std::string_view::npos) {
      parsed.route = Route::none;
    }
    parsed.graph = rest;
  }
  if (question != std::string_view::npos) {
    parsed.trace = trace_asked(target.substr(question + 1));
  }
  return parsed;
}

void set_method_not_allowed(Response& response, http::verb allowed) {
  detail::set_error(
      response, http::status::method_not_allowed,
      fmt::format("method not allowed: use {}", std::string_view(http::to_string(allowed))));
  response.set(http::field::allow, http::to_string(allowed));
}

std::string graph_list(const ServiceState& state) {
  std::string body;
  detail::JsonWriter json(body);
  json.raw("{\"graphs\":[");
  bool first = true;
  for (const auto& graph : state.catalog.all()) {
    json.raw(first ? "{\"name\":" : ",{\"name\":");
    first = false;
    json.string(graph->name);
    json.raw(",\"file\":");
    json.string(graph->file);
    json.raw(fmt::format(",\"nodes\":{},\"loaded_at\":", graph->def.nodes.size()));
    json.string(fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                            fmt::gmtime(std::chrono::system_clock::to_time_t(graph->loaded_at))));
    json.raw("}");
  }
  json.raw(fmt::format("],\"generation\":{}}}", state.catalog.generation()));
  return body;
}

void set_graph_not_found(Response& response, std::string_view name) {
  detail::set_error(response, http::status::not_found, fmt::format("no graph named '{}'", name));
}

}  // namespace

Router::Router(std::shared_ptr<Runtime> runtime, ServerOptions options)
    : state_(std::make_unique<ServiceState>(std::move(runtime), std::move(options))) {
  state_->catalog.reload();
}

Router::~Router() = default;

boost::asio::awaitable<void> Router::handle(const Request& request, Response& response) {
  response.clear();
  response.body().clear();
  response.version(request.version());
  const Target target = parse_target(request.target());
  const http::verb expected = target.route == Route::execute ? http::verb::post : http::verb::get;
  if (target.route != Route::none && request.method() != expected) {
    set_method_not_allowed(response, expected);
    co_return;
  }
  ServiceState& state = *state_;
  switch (target.route) {
    case Route::healthz:
      detail::set_json(response, http::status::ok, R"({"status":"ok"})");
      break;
    case Route::readyz:
      if (state.stopping.load()) {
        detail::set_error(response, http::status::service_unavailable, "shutting down");
      } else if (state.catalog.all().empty()) {
        detail::set_error(response, http::status::service_unavailable, "no graph loaded");
      } else {
        detail::set_json(response, http::status::ok, R"({"status":"ready"})");
      }
      break;
    case Route::metrics:
      response.result(http::status::ok);
      response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      response.body() = detail::prometheus_text(state);
      break;
    case Route::graphs:
      detail::set_json(response, http::status::ok, graph_list(state));
      break;
    case Route::graph:
      if (const auto graph = state.catalog.find(target.graph)) {
        detail::set_json(response, http::status::ok, graph->definition_json);
      } else {
        set_graph_not_found(response, target.graph);
      }
      break;
    case Route::execute:
      if (auto graph = state.catalog.find(target.graph)) {
        co_await detail::execute_route(state, std::move(graph), request, response, target.trace);
      } else {
        set_graph_not_found(response, target.graph);
      }
      break;
    case Route::none:
      detail::set_error(response, http::status::not_found,
                        fmt::format("no endpoint at '{}'", std::string_view(request.target())));
      break;
  }
}

ReloadReport Router::reload() {
  return state_->catalog.reload();
}

void Router::stop_taking_work() noexcept {
  state_->stopping.store(true);
}

void Router::count_rejection(std::string_view reason) noexcept {
  for (std::size_t i = 0; i < detail::rejection_names.size(); ++i) {
    if (detail::rejection_names[i] == reason) {
      state_->metrics.reject(static_cast<detail::Rejection>(i));
    }
  }
}

std::uint64_t Router::generation() const noexcept {
  return state_->catalog.generation();
}

}  // namespace lg::service
