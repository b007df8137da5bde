#include "io/http/http_exchange.hpp"

#include <logic_graph/engine/graph/json_text.hpp>

#include <fmt/format.h>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <cctype>

namespace lg::detail {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// A response's header block at most (Beast's default is 8 KiB; some servers send more).
constexpr std::uint32_t max_header_bytes = 64 * 1024;
// As deep as a node's result may nest (the executor's limit).
constexpr std::size_t max_json_depth = 1000;

bool idempotent(http::verb method) {
  switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::put:
    case http::verb::delete_:
    case http::verb::options:
    case http::verb::trace:
      return true;
    default:
      return false;
  }
}

// A closed or reset connection: on a reused one before any response byte, the server had
// dropped it while idle.
bool closed_early(const boost::system::error_code& code) {
  return code == http::error::end_of_stream || code == asio::error::eof ||
         code == asio::error::connection_reset || code == asio::error::broken_pipe ||
         code == asio::ssl::error::stream_truncated;
}

[[noreturn]] void fail(const boost::system::error_code& code, const HttpCall& call, bool received) {
  if (code == asio::error::operation_aborted) {
    throw boost::system::system_error(code);  // the node's cancellation, as it is
  }
  if (code == boost::beast::error::timeout) {
    throw HttpFailure(true, "timed out");
  }
  if (code == http::error::body_limit) {
    throw HttpFailure(false, fmt::format("the response is larger than max_response_bytes ({})",
                                         call.max_response_bytes));
  }
  if (code == http::error::header_limit) {
    throw HttpFailure(
        false, fmt::format("the response's header is larger than {} bytes", max_header_bytes));
  }
  if (code == asio::error::connection_refused) {
    throw HttpFailure(false, "connection refused");
  }
  if (code == asio::error::host_not_found || code == asio::error::host_not_found_try_again) {
    throw HttpFailure(false, fmt::format("no address found for host '{}'", call.url.host));
  }
  if (closed_early(code) || code == http::error::partial_message) {
    throw HttpFailure(false, received ? "the server closed the connection before the response "
                                        "ended"
                                      : "the server closed the connection without responding");
  }
  if (code.category() == asio::error::get_ssl_category()) {
    throw HttpFailure(false, "TLS: " + code.message());
  }
  if (code.category() ==
      http::make_error_code(http::error::body_limit).category()) {  // Beast's parse errors
    throw HttpFailure(false, "a malformed response: " + code.message());
  }
  throw HttpFailure(false, code.message());
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

HttpReply reply_of(http::response<http::string_body>&& response) {
  HttpReply reply;
  reply.status = response.result_int();
  for (const auto& field : response.base()) {
    std::string name = lower(field.name_string());
    auto& value = reply.headers[name];
    if (value.is_string()) {
      value = value.get<std::string>() + ", " + std::string(field.value());
    } else {
      value = std::string(field.value());
    }
  }
  const std::string type = lower(response[http::field::content_type]);
  const std::string_view media = std::string_view(type).substr(0, type.find(';'));
  reply.json = media == "application/json" || media.ends_with("+json");
  reply.body = std::move(response.body());
  return reply;
}

// Waits for a connection slot until the deadline (when none was free).
asio::awaitable<HttpOrigin::Slot> reserve(HttpOrigin& origin, const HttpCall& call) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(co_await asio::this_coro::executor, call.deadline);
  auto got = co_await (origin.reserve() || timer.async_wait(asio::use_awaitable));
  if (got.index() == 1) {
    throw HttpFailure(true, "timed out waiting for a connection (max_connections are busy)");
  }
  co_return std::get<0>(std::move(got));
}

}  // namespace

asio::awaitable<HttpReply> http_exchange(HttpOrigin& origin, asio::any_io_executor io,
                                         HttpCall& call) {
  std::optional<HttpOrigin::Slot> slot = origin.try_reserve();
  if (!slot) {
    slot.emplace(co_await reserve(origin, call));
  }
  call.request.set(http::field::host, call.url.authority());
  call.request.keep_alive(true);
  call.request.prepare_payload();
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<HttpConnection> connection = attempt == 0 ? origin.take_idle() : nullptr;
    const bool reused = connection != nullptr;
    bool wrote = false;
    bool received = false;
    boost::system::error_code error;
    try {
      if (!reused) {
        connection = std::make_unique<HttpConnection>(io, call.url, origin.tls());
        co_await connection->connect(call.url, call.deadline);
      }
      co_await connection->write(call.request, call.deadline);
      wrote = true;
      HttpResponseParser parser;
      parser.header_limit(max_header_bytes);
      parser.body_limit(call.max_response_bytes);
      co_await connection->read(parser, call.deadline, received);
      http::response<http::string_body> response = parser.release();
      const bool keep = response.keep_alive();
      HttpReply reply = reply_of(std::move(response));
      ++connection->uses;
      if (keep) {
        origin.put_idle(std::move(connection));
      } else {
        connection->close();
      }
      co_return reply;
    } catch (const boost::system::system_error& e) {
      error = e.code();
    }
    connection->close();
    const bool again =
        reused && !received && closed_early(error) && (!wrote || idempotent(call.request.method()));
    if (!again) {
      fail(error, call, received);
    }
  }
}

nlohmann::json parse_json_body(const std::string& body) {
  if (const std::size_t at = too_deep_at(body, max_json_depth); at != std::string::npos) {
    const TextPosition place = text_position(body, at);
    throw HttpFailure(false, fmt::format("the JSON response nests deeper than {} levels (line "
                                         "{}, column {})",
                                         max_json_depth, place.line, place.column));
  }
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    const TextPosition place = text_position(body, e.byte > 0 ? e.byte - 1 : 0);
    throw HttpFailure(false, fmt::format("the response is not valid JSON (line {}, column {})",
                                         place.line, place.column));
  }
}

}  // namespace lg::detail
