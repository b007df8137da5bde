#pragma once

#include <logic_graph/service/router.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <list>
#include <memory>
#include <mutex>

namespace lg::service::detail {

/// The accepting socket and the connections: one coroutine per connection on the runtime's
/// executor, reading one request at a time (so pipelined requests are answered in order), with
/// the limits of ServerOptions. No strand: only that coroutine uses its socket; other threads
/// (the sweeper, shutdown) end a connection with interrupt(), a shutdown(2) of its socket.
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
  using Clock = std::chrono::steady_clock;
  // A connection's timeouts are a deadline that the sweeper (one timer for all) enforces by
  // closing the socket, not a timer armed and cancelled around every read and write.
  struct Connection {
    explicit Connection(boost::asio::ip::tcp::socket socket) : socket(std::move(socket)) {}
    void expire_after(std::chrono::milliseconds timeout) noexcept {
      deadline.store((Clock::now() + timeout).time_since_epoch().count(),
                     std::memory_order_relaxed);
    }
    void no_deadline() noexcept { deadline.store(never, std::memory_order_relaxed); }
    [[nodiscard]] bool expired(Clock::time_point now) const noexcept {
      return deadline.load(std::memory_order_relaxed) < now.time_since_epoch().count();
    }
    /// Any thread: the pending and later reads and writes end (end of stream, broken pipe).
    void interrupt() noexcept;
    /// The connection's coroutine, once it is done with the socket.
    void close() noexcept;

    static constexpr Clock::rep never = std::numeric_limits<Clock::rep>::max();
    boost::asio::ip::tcp::socket socket;
    std::atomic<Clock::rep> deadline{never};  // written by the connection's coroutine
    std::atomic<bool> idle{true};             // waiting for the next request
    std::mutex closing;                       // interrupt() never meets a closed descriptor
    bool closed = false;                      // under `closing`
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
  // Closes, every tick, the connections whose deadline passed, until shutdown has finished.
  boost::asio::awaitable<void> sweep_loop();
  // Runs `action(connection)` for each live connection, under the listener's lock.
  void for_each_connection(const std::function<void(Connection&)>& action);
  void connection_ended(bool refused);
  void finish_shutdown_if_drained();

  std::shared_ptr<Router> router_;
  Strand strand_;  // the acceptor's
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  boost::asio::steady_timer grace_timer_;  // on strand_
  boost::asio::steady_timer sweep_timer_;  // on strand_
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;
  std::list<std::weak_ptr<Connection>> connections_;
  std::size_t open_ = 0;        // connections served (refused ones excluded)
  std::size_t alive_ = 0;       // every connection coroutine, refused ones included
  bool accepting_ = false;      // the accept loop runs
  bool drained_ = false;        // shutdown finished: the sweeper stops
  std::function<void()> done_;  // set by shutdown()
};

}  // namespace lg::service::detail
