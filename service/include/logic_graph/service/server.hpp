#pragma once

#include <logic_graph/service/router.hpp>
#include <logic_graph/service/server_options.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>

#include <cstdint>
#include <functional>
#include <memory>

namespace lg {
class Runtime;
}

namespace lg::service {

namespace detail {
class Listener;
class FileWatcher;
}  // namespace detail

/// The HTTP service: a Router behind a Beast listener, on the executor of the runtime it is
/// given (sockets and executions share its threads). Keep-alive, pipelined requests answered
/// in order, limits on headers, bodies, connections and slow clients; a reload when a graph
/// file changes.
///
/// @code
/// asio::io_context io;
/// auto runtime = std::make_shared<lg::Runtime>(
///     lg::RuntimeOptions{.threads = 2, .executor = io.get_executor()});
/// lg::service::Server server{runtime, {.graphs_dir = "graphs", .port = 0}};
/// server.start();
/// std::cout << "port " << server.port() << '\n';
/// ... io.run() on two threads ...
/// server.async_shutdown([&] { io.stop(); });
/// @endcode
class Server {
 public:
  /// Loads the graphs and binds; throws std::runtime_error when the folder cannot be read or
  /// the address cannot be bound.
  Server(std::shared_ptr<Runtime> runtime, ServerOptions options);
  /// Stops listening; call async_shutdown() and let it complete first for an orderly end.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Starts accepting connections (and watching the folder when the options say so).
  void start();
  /// The port it listens on.
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// The endpoints.
  [[nodiscard]] Router& router() noexcept;

  /// Stops accepting, answers the requests being handled (executions get up to the timeout,
  /// then are cancelled), closes every connection, and completes `token` (`void()`).
  template <class CompletionToken>
  auto async_shutdown(CompletionToken&& token);

 private:
  void begin_shutdown(std::function<void()> done);

  std::shared_ptr<Router> router_;
  std::shared_ptr<detail::Listener> listener_;
  std::shared_ptr<detail::FileWatcher> watcher_;
};

/// `lgraph serve`: runs a Server on a runtime of its own (`options.threads` threads running an
/// io_context), prints `listening on ADDRESS:PORT` as the first line of stdout, reloads on
/// SIGHUP, and shuts down in order on SIGINT or SIGTERM. Returns 0 after an orderly shutdown;
/// throws std::runtime_error when it cannot start.
int serve(const ServerOptions& options);

template <class CompletionToken>
auto Server::async_shutdown(CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void()>(
      [this](auto handler) {
        auto held = std::make_shared<decltype(handler)>(std::move(handler));
        begin_shutdown([held] {
          const auto executor = boost::asio::get_associated_executor(*held);
          boost::asio::post(executor, std::move(*held));
        });
      },
      token);
}

}  // namespace lg::service
