#pragma once

#include <logic_graph/service/router.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

namespace lg::service::detail {

/// The accepting socket and the connections: one coroutine per connection on a strand of the
/// runtime's executor, reading one request at a time (so pipelined requests are answered in
/// order), with the limits of ServerOptions.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  /// Binds to the options' address and port; throws std::runtime_error naming them.
  Listener(std::shared_ptr<Router> router, const boost::asio::any_io_executor& executor);

  void start();
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  /// Stops accepting, closes idle connections, lets busy ones answer (up to the timeout, then
  /// cancels the executions and closes them), and calls `done` once every connection ended.
  void shutdown(std::function<void()> done);

 private:
  using Strand = boost::asio::strand<boost::asio::any_io_executor>;
  struct Connection {
    explicit Connection(boost::asio::ip::tcp::socket socket) : stream(std::move(socket)) {}
    boost::beast::tcp_stream stream;
    bool idle = true;  // waiting for the next request (on the connection's strand)
  };

  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection, bool refuse);
  enum class Answer : std::uint8_t {
    none,        // nothing to say: the client went, or was too slow
    reply,       // a response to the request
    read_error,  // a response to a request that could not be read: bytes may be left unread
  };
  // Answers one request (or a read error) into `response`.
  boost::asio::awaitable<Answer> answer(Connection& connection, boost::beast::flat_buffer& buffer,
                                        Response& response, bool refuse);
  boost::asio::awaitable<void> linger_close(Connection& connection);
  // Runs `action(connection)` on each connection's strand.
  void for_each_connection(const std::function<void(Connection&)>& action);
  void connection_ended(bool refused);
  void finish_shutdown_if_drained();

  std::shared_ptr<Router> router_;
  Strand strand_;  // the acceptor's
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  boost::asio::steady_timer grace_timer_;  // on strand_
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;
  std::list<std::weak_ptr<Connection>> connections_;
  std::size_t open_ = 0;        // connections served (refused ones excluded)
  std::size_t alive_ = 0;       // every connection coroutine, refused ones included
  bool accepting_ = false;      // the accept loop runs
  std::function<void()> done_;  // set by shutdown()
};

}  // namespace lg::service::detail
