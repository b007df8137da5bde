#pragma once

#include <logic_graph/engine/node/node_registry.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace spdlog {
class logger;
}

namespace lg::service {

/// What the service serves and the limits it keeps; the defaults suit `lgraph serve`.
struct ServerOptions {
  /// The folder of graphs: every `.json`, `.yaml` and `.yml` file in it (not below) is one
  /// graph, named by its file name without the extension.
  std::filesystem::path graphs_dir;
  /// The address to listen on.
  std::string bind = "127.0.0.1";
  /// The port to listen on (0: a free one, see Server::port()).
  std::uint16_t port = 8080;
  /// Threads that run connections and executions (0: one per core). Only serve() reads it: a
  /// Server runs on the runtime it is given.
  std::size_t threads = 0;
  /// Executions in flight at most (0: no limit); beyond it, 503 with Retry-After. Only serve()
  /// reads it (RuntimeOptions::max_inflight).
  std::size_t max_inflight = 0;
  /// The largest request body accepted; a larger one is answered 413.
  std::size_t max_body_bytes = std::size_t{1} << 20;
  /// The largest request header (request line and fields) accepted; larger is answered 431.
  std::size_t max_header_bytes = std::size_t{16} << 10;
  /// An execution's deadline (504 past it), and how long a shutdown waits for executions.
  std::chrono::milliseconds timeout{30'000};
  /// When memory in use (lg::memory::global_metrics) is over this many bytes, executions are
  /// refused (503 with Retry-After) or stopped before their next node.
  std::optional<std::uint64_t> memory_budget_bytes{};
  /// Connections open at once at most; one more is answered 503 and closed.
  std::size_t max_connections = 4096;
  /// How long a kept-alive connection may wait for its next request before it is closed.
  std::chrono::milliseconds idle_timeout{60'000};
  /// How long a request may take to arrive once it began (slowloris): 408 and closed after.
  std::chrono::milliseconds read_timeout{10'000};
  /// One log line per request (method, target, status, microseconds).
  bool access_log = false;
  /// Reload when a file of `graphs_dir` changes (inotify).
  bool watch = true;
  /// The node types graphs may use; the built-in ones when empty.
  std::optional<NodeRegistry> registry{};
  /// Where reloads, errors and the access log go; spdlog's default logger when null.
  std::shared_ptr<spdlog::logger> logger{};
};

}  // namespace lg::service
