#include "io/http/http_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/socket.h>

#include <cerrno>

namespace lg::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// The host's addresses: an address as it is, a name through the resolver (which runs
// getaddrinfo on a thread of Asio's own), bounded by `deadline`.
asio::awaitable<tcp::resolver::results_type> resolve(const HttpUrl& url,
                                                     HttpClock::time_point deadline) {
  const auto executor = co_await asio::this_coro::executor;
  const std::string port = std::to_string(url.port);
  boost::system::error_code not_address;
  const asio::ip::address address = asio::ip::make_address(url.host, not_address);
  if (!not_address) {
    co_return tcp::resolver::results_type::create(tcp::endpoint(address, url.port), url.host, port);
  }
  tcp::resolver resolver(executor);
  asio::steady_timer timer(executor, deadline);
  // The first to end wins (a lookup that fails fails at once), and cancels the other.
  auto [order, error, found, timer_error] =
      co_await asio::experimental::make_parallel_group(
          resolver.async_resolve(url.host, port, asio::deferred), timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  if (order[0] == 1 && !timer_error) {
    throw boost::system::system_error(beast::error::timeout);
  }
  if (error) {
    throw boost::system::system_error(error);
  }
  co_return std::move(found);
}

}  // namespace

HttpConnection::HttpConnection(const asio::any_io_executor& executor, const HttpUrl& url,
                               asio::ssl::context* tls) {
  if (url.tls) {
    secure_.emplace(executor, *tls);
  } else {
    plain_.emplace(executor);
  }
}

beast::tcp_stream& HttpConnection::tcp() noexcept {
  return secure_ ? secure_->next_layer() : *plain_;
}

asio::awaitable<void> HttpConnection::connect(const HttpUrl& url, HttpClock::time_point deadline) {
  const auto addresses = co_await resolve(url, deadline);
  tcp().expires_at(deadline);
  co_await tcp().async_connect(addresses, asio::use_awaitable);
  tcp().socket().set_option(tcp::no_delay(true));
  if (!secure_) {
    co_return;
  }
  boost::system::error_code not_address;
  asio::ip::make_address(url.host, not_address);
  // SNI for names only (RFC 6066 leaves addresses out); the certificate is checked for either.
  if (not_address && SSL_set_tlsext_host_name(secure_->native_handle(), url.host.c_str()) != 1) {
    throw boost::system::system_error(static_cast<int>(::ERR_get_error()),
                                      asio::error::get_ssl_category());
  }
  secure_->set_verify_mode(asio::ssl::verify_peer);
  secure_->set_verify_callback(asio::ssl::host_name_verification(url.host));
  tcp().expires_at(deadline);
  co_await secure_->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
}

asio::awaitable<void> HttpConnection::write(HttpRequest& request, HttpClock::time_point deadline) {
  tcp().expires_at(deadline);
  if (secure_) {
    co_await beast::http::async_write(*secure_, request, asio::use_awaitable);
  } else {
    co_await beast::http::async_write(*plain_, request, asio::use_awaitable);
  }
}

asio::awaitable<void> HttpConnection::read(HttpResponseParser& parser,
                                           HttpClock::time_point deadline, bool& received) {
  tcp().expires_at(deadline);
  received = buffer_.size() > 0;
  try {
    if (secure_) {
      co_await beast::http::async_read(*secure_, buffer_, parser, asio::use_awaitable);
    } else {
      co_await beast::http::async_read(*plain_, buffer_, parser, asio::use_awaitable);
    }
  } catch (...) {
    received = received || parser.got_some() || buffer_.size() > 0;
    throw;
  }
  received = true;
}

void HttpConnection::close() noexcept {
  boost::system::error_code ignored;
  tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
  tcp().socket().close(ignored);
}

bool HttpConnection::usable() noexcept {
  auto& socket = tcp().socket();
  if (!socket.is_open() || buffer_.size() > 0) {
    return false;
  }
  char byte = 0;
  const ssize_t got = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (got == 0) {
    return false;  // the server closed it
  }
  if (got < 0) {
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
  // Bytes nobody asked for: on a plain connection the server broke the protocol; TLS 1.3
  // servers send session tickets after the handshake, which the next read takes.
  return secure_.has_value();
}

}  // namespace lg::detail
