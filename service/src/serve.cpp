// `lgraph serve`: a Server on an io_context of its own, run by the runtime's threads; signals
// drive reloads and the shutdown.

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/service/server.hpp>

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

namespace lg::service {

namespace asio = boost::asio;

int serve(const ServerOptions& options) {
  const std::size_t threads =
      options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  asio::io_context io{static_cast<int>(threads)};
  auto runtime = std::make_shared<Runtime>(RuntimeOptions{
      .threads = threads, .executor = io.get_executor(), .max_inflight = options.max_inflight});
  ServerOptions with_logger = options;
  if (!with_logger.logger) {
    // stdout is for the `listening on` line (and whatever reads it); logs go to stderr.
    with_logger.logger = std::make_shared<spdlog::logger>(
        "lgraph", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  }
  Server server{runtime, std::move(with_logger)};
  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  server.start();
  std::fputs(fmt::format("listening on {}:{}\n", options.bind, server.port()).c_str(), stdout);
  std::fflush(stdout);

  bool shutting_down = false;  // on the signal handler's thread (one wait at a time)
  std::function<void()> wait_for_signal = [&] {
    signals.async_wait([&](const boost::system::error_code& error, int signal) {
      if (error) {
        return;
      }
      if (signal == SIGHUP) {
        server.router().reload();
      } else if (!shutting_down) {
        shutting_down = true;
        server.async_shutdown(asio::bind_executor(io, [&] {
          signals.cancel();
          io.stop();
        }));
      } else {
        runtime->cancel_all();  // a second signal: stop waiting for the executions
      }
      wait_for_signal();
    });
  };
  wait_for_signal();

  std::vector<std::thread> workers;
  for (std::size_t i = 1; i < threads; ++i) {
    workers.emplace_back([&io] { io.run(); });
  }
  io.run();
  for (std::thread& worker : workers) {
    worker.join();
  }
  return 0;
}

}  // namespace lg::service
