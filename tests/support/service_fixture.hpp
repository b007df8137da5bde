#pragma once

// The service in-process: graphs written to a temp folder, a Server on a runtime of two threads
// running an io_context of the test's, torn down by an orderly shutdown.

#include "support/temp_dir.hpp"

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/service/server.hpp>

#include <doctest/doctest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace lg::test {

/// Writes `text` to `dir/name`.
inline void write_file(const std::filesystem::path& dir, const std::string& name,
                       const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
}

class ServiceFixture {
 public:
  /// `options.graphs_dir` is set to the fixture's folder; write the graphs with graph() first,
  /// then start().
  ServiceFixture() = default;
  ~ServiceFixture() { stop(); }
  ServiceFixture(const ServiceFixture&) = delete;
  ServiceFixture& operator=(const ServiceFixture&) = delete;

  void graph(const std::string& file, const std::string& text) {
    write_file(dir.path(), file, text);
  }

  void start(service::ServerOptions options = {}, std::size_t max_inflight = 0) {
    options.graphs_dir = dir.path();
    options.port = 0;
    if (!options.logger) {
      options.logger = std::make_shared<spdlog::logger>(
          "service-test", std::make_shared<spdlog::sinks::null_sink_mt>());
    }
    runtime = std::make_shared<Runtime>(
        RuntimeOptions{.threads = 2, .executor = io.get_executor(), .max_inflight = max_inflight});
    server = std::make_unique<service::Server>(runtime, std::move(options));
    server->start();
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([this] { io.run(); });
    }
  }
  [[nodiscard]] std::uint16_t port() const { return server->port(); }

  /// Shuts the server down in order and waits for it; then stops the threads.
  void stop() {
    if (!server) {
      return;
    }
    server->async_shutdown(boost::asio::use_future).get();
    work.reset();
    io.stop();
    for (std::thread& thread : threads) {
      thread.join();
    }
    threads.clear();
    server.reset();
  }

  TempDir dir;
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
      io.get_executor()};
  std::shared_ptr<Runtime> runtime;
  std::unique_ptr<service::Server> server;
  std::vector<std::thread> threads;
};

}  // namespace lg::test
