#include "listener.hpp"

#include "service_state.hpp"

#include <logic_graph/engine/exec/runtime.hpp>

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <sys/socket.h>

namespace lg::service::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

tcp::endpoint endpoint_of(const ServerOptions& options) {
  error_code error;
  const auto address = asio::ip::make_address(options.bind, error);
  if (error) {
    throw std::runtime_error(fmt::format("--bind {}: not an IP address", options.bind));
  }
  return {address, options.port};
}

// The answer to a request that could not be read, or nothing (the client went, or is too slow:
// the sweeper closed the socket at its deadline).
bool set_read_error(const error_code& error, Response& response) {
  if (error == http::error::body_limit) {
    set_error(response, http::status::payload_too_large, "the request body is over the limit");
  } else if (error == http::error::header_limit) {
    set_error(response, http::status::request_header_fields_too_large,
              "the request header is over the limit");
  } else if (error == http::error::end_of_stream || error == asio::error::eof ||
             error == asio::error::operation_aborted || error == asio::error::connection_reset ||
             error == asio::error::bad_descriptor) {
    return false;
  } else {
    set_error(response, http::status::bad_request,
              fmt::format("malformed HTTP request: {}", error.message()));
  }
  return true;
}

}  // namespace

Listener::Listener(std::shared_ptr<Router> router, const asio::any_io_executor& executor)
    : router_(std::move(router)),
      strand_(asio::make_strand(executor)),
      acceptor_(strand_),
      grace_timer_(strand_),
      sweep_timer_(strand_) {
  const ServerOptions& options = router_->state().options;
  const tcp::endpoint endpoint = endpoint_of(options);
  error_code error;
  acceptor_.open(endpoint.protocol(), error);
  if (!error) {
    acceptor_.set_option(asio::socket_base::reuse_address(true), error);
  }
  if (!error) {
    acceptor_.bind(endpoint, error);
  }
  if (!error) {
    acceptor_.listen(asio::socket_base::max_listen_connections, error);
  }
  if (error) {
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}: {}", options.bind, options.port, error.message()));
  }
  port_ = acceptor_.local_endpoint().port();
}

void Listener::start() {
  {
    const std::scoped_lock lock(mutex_);
    accepting_ = true;
  }
  asio::co_spawn(strand_, accept_loop(), asio::detached);
  asio::co_spawn(strand_, sweep_loop(), asio::detached);
}

void Listener::Connection::interrupt() noexcept {
  const std::scoped_lock lock(closing);
  if (!closed) {
    // shutdown(2) on the descriptor, thread-safe where the socket object is not: the
    // coroutine's pending operation wakes and fails, and so does any it starts afterwards.
    ::shutdown(socket.native_handle(), SHUT_RDWR);
  }
}

void Listener::Connection::close() noexcept {
  const std::scoped_lock lock(closing);
  closed = true;
  error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> Listener::sweep_loop() {
  const auto self = shared_from_this();
  const ServerOptions& options = router_->state().options;
  // A connection is closed between its deadline and a tick later: a quarter of the shortest
  // timeout, from a millisecond to a second.
  const auto tick = std::clamp(std::min(options.idle_timeout, options.read_timeout) / 4,
                               std::chrono::milliseconds(1), std::chrono::milliseconds(1000));
  while (true) {
    sweep_timer_.expires_after(tick);
    co_await sweep_timer_.async_wait(use_tuple);
    const auto now = Clock::now();
    const std::scoped_lock lock(mutex_);
    if (drained_) {
      break;
    }
    for (const auto& weak : connections_) {
      if (const auto connection = weak.lock(); connection && connection->expired(now)) {
        connection->interrupt();
      }
    }
  }
}

asio::awaitable<void> Listener::accept_loop() {
  const auto self = shared_from_this();
  const std::size_t max_connections = router_->state().options.max_connections;
  while (!stopping_) {
    auto [error, socket] = co_await acceptor_.async_accept(strand_.get_inner_executor(), use_tuple);
    if (error) {
      if (error == asio::error::operation_aborted || !acceptor_.is_open()) {
        break;
      }
      // A connection that went before it was accepted, or no file descriptor left: a pause
      // rather than a spin, so that connections ending meanwhile free some.
      asio::steady_timer pause(strand_, std::chrono::milliseconds(50));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    auto connection = std::make_shared<Connection>(std::move(socket));
    bool refuse = false;
    {
      const std::scoped_lock lock(mutex_);
      refuse = open_ >= max_connections;
      open_ += refuse ? 0 : 1;
      ++alive_;
      std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
      connections_.push_back(connection);
    }
    const auto executor = connection->socket.get_executor();
    asio::co_spawn(executor, serve(std::move(connection), refuse), asio::detached);
  }
  {
    const std::scoped_lock lock(mutex_);
    accepting_ = false;
  }
  finish_shutdown_if_drained();
}

asio::awaitable<Listener::Answer> Listener::answer(Connection& connection,
                                                   beast::flat_buffer& buffer, Response& response,
                                                   bool refuse) {
  const ServerOptions& options = router_->state().options;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
  connection.expire_after(options.read_timeout);
  auto [error, bytes] =
      co_await http::async_read_header(connection.socket, buffer, parser, use_tuple);
  if (!error && !parser.is_done()) {
    // A client that asks before sending its body (curl does for large ones) is told to go on.
    if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
      std::tie(error, bytes) = co_await asio::async_write(
          connection.socket, asio::buffer(go_on.data(), go_on.size()), use_tuple);
    }
    if (!error) {
      std::tie(error, bytes) =
          co_await http::async_read(connection.socket, buffer, parser, use_tuple);
    }
  }
  connection.no_deadline();  // running the request has its own timeout
  if (error) {
    response.clear();
    response.version(11);
    const bool answered = set_read_error(error, response);
    response.keep_alive(false);
    co_return answered ? Answer::read_error : Answer::none;
  }
  const Request& request = parser.get();
  const auto start = std::chrono::steady_clock::now();
  if (refuse) {
    response.clear();
    response.version(request.version());
    router_->count_rejection("max_connections");
    set_error(response, http::status::service_unavailable, "too many connections", {},
              "max_connections");
    response.set(http::field::retry_after, retry_after_seconds);
    response.keep_alive(false);
  } else {
    co_await router_->handle(request, response);
    response.keep_alive(request.keep_alive() && !stopping_);
  }
  if (options.access_log) {
    router_->state().logger->info("{} {} {} {}us", std::string_view(request.method_string()),
                                  std::string_view(request.target()), response.result_int(),
                                  std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::steady_clock::now() - start)
                                      .count());
  }
  co_return Answer::reply;
}

asio::awaitable<void> Listener::serve(std::shared_ptr<Connection> connection, bool refuse) {
  const auto self = shared_from_this();
  const ServerOptions& options = router_->state().options;
  tcp::socket& socket = connection->socket;
  beast::flat_buffer buffer;
  Response response;
  bool lingering = false;
  while (true) {
    connection->idle.store(buffer.size() == 0);
    if (stopping_) {
      break;
    }
    if (buffer.size() == 0) {
      // Waiting for a request to begin: the idle timeout; once it began, the read timeout.
      connection->expire_after(options.idle_timeout);
      auto [error, bytes] = co_await socket.async_read_some(buffer.prepare(4096), use_tuple);
      if (error) {
        break;
      }
      buffer.commit(bytes);
    }
    connection->idle.store(false);
    const Answer answered = co_await answer(*connection, buffer, response, refuse);
    if (answered == Answer::none) {
      break;
    }
    response.prepare_payload();
    connection->expire_after(options.read_timeout);
    auto [error, bytes] = co_await http::async_write(socket, response, use_tuple);
    if (error) {
      break;
    }
    if (!response.keep_alive()) {
      lingering = answered == Answer::read_error || refuse;
      break;
    }
  }
  if (lingering) {
    co_await linger_close(*connection);
  }
  connection->close();  // the sweeper's interrupt() does nothing from now on
  connection_ended(refuse);
}

asio::awaitable<void> Listener::linger_close(Connection& connection) {
  // Closing with unread bytes would reset the connection and could destroy the answer before
  // the client read it: say we are done, then read what is left for a short while.
  error_code ignored;
  connection.socket.shutdown(tcp::socket::shutdown_send, ignored);
  connection.expire_after(std::chrono::seconds(1));
  std::array<char, 4096> scratch{};
  std::size_t drained = 0;
  while (drained < (std::size_t{1} << 20)) {
    auto [error, bytes] =
        co_await connection.socket.async_read_some(asio::buffer(scratch), use_tuple);
    if (error) {
      break;
    }
    drained += bytes;
  }
}

void Listener::for_each_connection(const std::function<void(Connection&)>& action) {
  const std::scoped_lock lock(mutex_);
  for (const auto& weak : connections_) {
    if (auto connection = weak.lock()) {
      action(*connection);
    }
  }
}

void Listener::shutdown(std::function<void()> done) {
  {
    const std::scoped_lock lock(mutex_);
    done_ = std::move(done);
  }
  stopping_ = true;
  router_->stop_taking_work();
  const auto self = shared_from_this();
  asio::post(strand_, [self] {
    error_code ignored;
    self->acceptor_.close(ignored);
    // Executions get the timeout to finish; then they are cancelled and the connections closed.
    self->grace_timer_.expires_after(self->router_->state().options.timeout);
    self->grace_timer_.async_wait([self](const error_code& error) {
      if (!error) {
        self->router_->state().runtime->cancel_all();
        self->for_each_connection([](Connection& connection) { connection.interrupt(); });
      }
    });
  });
  for_each_connection([](Connection& connection) {
    if (connection.idle.load()) {
      connection.interrupt();
    }
  });
  finish_shutdown_if_drained();
}

void Listener::connection_ended(bool refused) {
  {
    const std::scoped_lock lock(mutex_);
    --alive_;
    open_ -= refused ? 0 : 1;
  }
  finish_shutdown_if_drained();
}

void Listener::finish_shutdown_if_drained() {
  std::function<void()> done;
  {
    const std::scoped_lock lock(mutex_);
    if (!stopping_ || accepting_ || alive_ != 0 || !done_) {
      return;
    }
    done.swap(done_);
    drained_ = true;
  }
  const auto self = shared_from_this();
  asio::post(strand_, [self] {
    self->grace_timer_.cancel();
    self->sweep_timer_.cancel();
  });
  done();
}

}  // namespace lg::service::detail
