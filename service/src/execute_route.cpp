// POST /v1/graphs/{name}/execute: the hot path. The input is parsed once and moved into the
// execution; the answer is written straight from the pooled context into the response's
// reused body, with no intermediate JSON document.

#include "json_writer.hpp"
#include "service_state.hpp"

#include <logic_graph/engine/exec/execution_error.hpp>
#include <logic_graph/engine/graph/json_text.hpp>
#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/nodes/jdm.hpp>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <tuple>

namespace lg::service::detail {

namespace http = boost::beast::http;
using Json = nlohmann::json;

namespace {

/// The deepest nesting of an input: deeper would make copying and printing it recurse deeply.
constexpr std::size_t max_input_depth = 512;

// The input, or a 400 in `response` (then false). An empty body is no input.
bool parse_input(const std::string& body, Json& input, Response& response) {
  if (std::all_of(body.begin(), body.end(),
                  [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; })) {
    return true;
  }
  if (const std::size_t at = too_deep_at(body, max_input_depth); at != std::string::npos) {
    const TextPosition place = text_position(body, at);
    set_error(response, http::status::bad_request,
              fmt::format("invalid input: line {}, column {}: nested deeper than {} levels",
                          place.line, place.column, max_input_depth));
    return false;
  }
  try {
    input = Json::parse(body);
  } catch (const Json::parse_error& error) {
    const TextPosition place = text_position(body, error.byte == 0 ? 0 : error.byte - 1);
    std::string_view what = error.what();
    what.remove_prefix(std::min(what.size(), what.find(": ") + 2));  // nlohmann's tag and place
    set_error(response, http::status::bad_request,
              fmt::format("invalid JSON: line {}, column {}: {}", place.line, place.column, what));
    return false;
  }
  if (!input.is_object()) {
    set_error(response, http::status::bad_request,
              fmt::format("invalid input: a JSON object is expected, found {}", input.type_name()));
    return false;
  }
  return true;
}

void refuse(ServiceState& state, Rejection reason, std::string_view message, Response& response) {
  state.metrics.reject(reason);
  set_error(response, http::status::service_unavailable, message, {},
            rejection_names[static_cast<std::size_t>(reason)]);
  response.set(http::field::retry_after, retry_after_seconds);
}

// The response for an execution that did not complete.
// Rejected executions never started: they count as rejections, not as executions.
void set_failure(ServiceState& state, const LoadedGraph& graph, const std::exception_ptr& error,
                 std::chrono::nanoseconds duration, Response& response) {
  GraphMetrics& metrics = *graph.metrics;
  try {
    std::rethrow_exception(error);
  } catch (const ExecutionError& failure) {
    using Kind = ExecutionError::Kind;
    const std::string_view kind = to_string(failure.kind());
    if (failure.kind() == Kind::rejected) {
      const bool shutting_down = !state.runtime->accepting() || state.stopping.load();
      refuse(state, shutting_down ? Rejection::shutting_down : Rejection::max_inflight,
             failure.what(), response);
      return;
    }
    metrics.executions.fetch_add(1, std::memory_order_relaxed);
    metrics.failed.fetch_add(1, std::memory_order_relaxed);
    metrics.latency.observe(duration);
    switch (failure.kind()) {
      case Kind::node_failed:
        set_error(response, http::status::unprocessable_entity, failure.what(), failure.node_id(),
                  kind);
        return;
      case Kind::deadline:
        set_error(response, http::status::gateway_timeout, failure.what(), failure.node_id(), kind);
        return;
      case Kind::budget_exceeded:
        state.metrics.reject(Rejection::memory_budget);
        [[fallthrough]];
      default:
        set_error(response, http::status::service_unavailable, failure.what(), failure.node_id(),
                  kind);
        response.set(http::field::retry_after, retry_after_seconds);
        return;
    }
  } catch (const std::exception& failure) {
    metrics.executions.fetch_add(1, std::memory_order_relaxed);
    metrics.failed.fetch_add(1, std::memory_order_relaxed);
    set_error(response, http::status::internal_server_error, failure.what());
  }
}

void write_names(JsonWriter& json, const std::vector<std::string>& names) {
  json.raw("[");
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) {
      json.raw(",");
    }
    json.string(names[i]);
  }
  json.raw("]");
}

void write_trace(JsonWriter& json, const ExecutionResult& result) {
  json.raw(",\"trace\":[");
  const auto traces = result.trace();
  const auto origin =
      traces.empty() ? std::chrono::steady_clock::time_point{} : traces.front().start;
  bool first = true;
  for (const NodeTrace& node : traces) {
    json.raw(first ? "{\"node\":" : ",{\"node\":");
    first = false;
    json.string(node.node_id);
    json.raw(",\"status\":");
    json.string(to_string(node.status));
    if (node.status == NodeStatus::executed || node.status == NodeStatus::failed) {
      const auto since = std::chrono::duration_cast<std::chrono::microseconds>(
          node.start - std::min(origin, node.start));
      json.raw(fmt::format(
          ",\"start_us\":{},\"duration_us\":{},\"keys_read\":", since.count(),
          std::chrono::duration_cast<std::chrono::microseconds>(node.duration).count()));
      write_names(json, node.keys_read);
    }
    if (node.status == NodeStatus::executed) {
      json.raw(",\"result\":");
      json.value(node.result);
    }
    if (!node.error.empty()) {
      json.raw(",\"error\":");
      json.string(node.error);
    }
    json.raw("}");
  }
  json.raw("]");
}

void write_result(const LoadedGraph& graph, const ExecutionResult& result,
                  std::chrono::nanoseconds duration, bool trace, std::string& body) {
  JsonWriter json(body);
  json.raw("{\"result\":");
  if (const zen::SharedValue* exact = jdm::decision(result, graph.def)) {
    json.raw(exact->dump(-1));  // a JDM decision, with ZEN's decimals as they are
  } else if (!graph.def.result.empty()) {
    const Json* value = result.context().get(graph.def.result);
    json.value(value != nullptr ? *value : Json());
  } else {
    json.raw("{");
    bool first = true;
    for (const Context::Entry& entry : result.context()) {
      if (!first) {
        json.raw(",");
      }
      first = false;
      json.key(entry.key);
      json.value(entry.value);
    }
    json.raw("}");
  }
  json.raw(",\"executed\":");
  write_names(json, result.nodes(NodeStatus::executed));
  json.raw(",\"skipped\":");
  write_names(json, result.nodes(NodeStatus::skipped));
  json.raw(",\"duration_us\":");
  json.number(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(duration).count()));
  if (trace) {
    write_trace(json, result);
  }
  json.raw("}");
}

}  // namespace

boost::asio::awaitable<void> execute_route(ServiceState& state,
                                           std::shared_ptr<const LoadedGraph> graph,
                                           const Request& request, Response& response, bool trace) {
  Json input;
  if (!parse_input(request.body(), input, response)) {
    co_return;
  }
  if (state.stopping.load(std::memory_order_relaxed)) {
    refuse(state, Rejection::shutting_down, "the service is shutting down", response);
    co_return;
  }
  if (const auto& budget = state.options.memory_budget_bytes;
      budget && memory::global_metrics().current_bytes() > *budget) {
    refuse(state, Rejection::memory_budget,
           fmt::format("memory in use is over the budget of {} bytes", *budget), response);
    co_return;
  }

  const auto start = std::chrono::steady_clock::now();
  std::exception_ptr error;
  ExecutionResult result;
  // Written as if/else: GCC 12 miscompiles a co_await inside a conditional expression.
  if (trace) {
    std::tie(error, result) =
        co_await graph->executor->async_execute(std::move(input), ExecutionOptions{.trace = true},
                                                boost::asio::as_tuple(boost::asio::use_awaitable));
  } else {
    std::tie(error, result) = co_await graph->executor->async_execute(
        std::move(input), boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  const auto duration = std::chrono::steady_clock::now() - start;
  if (error) {
    set_failure(state, *graph, error, duration, response);
    co_return;
  }
  graph->metrics->executions.fetch_add(1, std::memory_order_relaxed);
  graph->metrics->latency.observe(duration);
  response.result(http::status::ok);
  response.set(http::field::content_type, "application/json");
  write_result(*graph, result, duration, trace, response.body());
}

}  // namespace lg::service::detail
