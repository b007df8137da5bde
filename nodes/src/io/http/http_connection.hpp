#pragma once

#include "io/http/http_url.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <cstddef>
#include <optional>

namespace lg::detail {

using HttpClock = std::chrono::steady_clock;
using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponseParser = boost::beast::http::response_parser<boost::beast::http::string_body>;

/// One connection to a server, plain or TLS, with what it has read beyond the last response.
/// Every operation ends by `deadline` (beast::error::timeout after it, and the connection is
/// closed) and follows the awaiting coroutine's cancellation.
class HttpConnection {
 public:
  /// A connection for `url`'s origin; TLS through `tls` (required for https).
  HttpConnection(const boost::asio::any_io_executor& executor, const HttpUrl& url,
                 boost::asio::ssl::context* tls);

  /// Resolves the host, connects and, for https, verifies the server's certificate for the
  /// host (SNI sent for names). Throws boost::system::system_error.
  boost::asio::awaitable<void> connect(const HttpUrl& url, HttpClock::time_point deadline);
  /// Sends `request`.
  boost::asio::awaitable<void> write(HttpRequest& request, HttpClock::time_point deadline);
  /// Reads one response into `parser`; `received` tells whether any byte of it came (a reused
  /// connection that the server had closed gives none).
  boost::asio::awaitable<void> read(HttpResponseParser& parser, HttpClock::time_point deadline,
                                    bool& received);
  /// Closes the socket (no TLS close_notify: the connection is being dropped).
  void close() noexcept;

  /// True when the socket is open and the server has neither closed it nor sent anything
  /// unasked (checked without blocking, before reusing an idle connection).
  [[nodiscard]] bool usable() noexcept;
  /// When the connection last finished a response (for the idle time limit).
  HttpClock::time_point idle_since{};
  /// Requests this connection has carried.
  std::size_t uses = 0;

 private:
  boost::beast::tcp_stream& tcp() noexcept;

  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> secure_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace lg::detail
