#pragma once

#include "io/http/http_connection.hpp"
#include "io/http/http_origin.hpp"
#include "io/http/http_url.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace lg::detail {

/// One request to send: where, what, and its limits.
struct HttpCall {
  HttpUrl url;
  HttpRequest request;  // method, target, headers and body set; Host and framing are added
  HttpClock::time_point deadline;
  std::size_t max_response_bytes = 0;
};

/// A response as nodes give it.
struct HttpReply {
  unsigned status = 0;
  nlohmann::json headers = nlohmann::json::object();  // lower-case names; repeats joined by ", "
  std::string body;
  /// True when the body is JSON by its Content-Type (application/json, anything+json).
  bool json = false;
};

/// An exchange that failed: `timed_out` when the deadline passed; the message says what
/// happened (connection refused, TLS verification, the server closing early, too large).
class HttpFailure : public std::runtime_error {
 public:
  HttpFailure(bool timed_out, const std::string& message)
      : std::runtime_error(message), timed_out_(timed_out) {}
  [[nodiscard]] bool timed_out() const noexcept { return timed_out_; }

 private:
  bool timed_out_;
};

/// Sends `call` through `origin`'s pool (a kept-alive connection when one is idle, else a new
/// one on `io`), waiting for a free connection when max_connections are busy, and reads the
/// response. A request that finds its reused connection closed by the server before any byte
/// of the response is sent again once on a new connection (any method when nothing was
/// written; idempotent methods otherwise). Throws HttpFailure, or the coroutine's cancellation
/// (operation_aborted) as it is.
[[nodiscard]] boost::asio::awaitable<HttpReply> http_exchange(HttpOrigin& origin,
                                                              boost::asio::any_io_executor io,
                                                              HttpCall& call);

/// `body` parsed as JSON for a node's result: HttpFailure naming the line and column when it
/// is not JSON, or when it nests deeper than a node's result may.
[[nodiscard]] nlohmann::json parse_json_body(const std::string& body);

}  // namespace lg::detail
