#pragma once

#include "io/http/http_exchange.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_registry.hpp>
#include <logic_graph/engine/node/node_scope.hpp>

#include <boost/asio/awaitable.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace lg {
class Runtime;
}  // namespace lg

namespace lg::detail {

/// What the nodes that call HTTP servers (`http`, `llm`) share: their transport fields
/// `timeout_ms`, `max_response_bytes`, `ca_file` and `max_connections`, read from the config,
/// and the runtime's connection pools, one per origin and TLS settings.
class HttpClient {
 public:
  /// The transport fields of the node being built (ca_file relative to its graph's file), with
  /// the node's own defaults. ConfigError naming the field.
  HttpClient(const NodeBuild& build, std::chrono::milliseconds timeout,
             std::size_t max_response_bytes);

  /// The fields the constructor reads, for config::allow_only().
  static constexpr std::array<std::string_view, 4> fields = {"timeout_ms", "max_response_bytes",
                                                             "ca_file", "max_connections"};

  /// Sends `request` to `url` on the scope's runtime and reads the response, within
  /// timeout_ms from now. Throws NodeError (timed_out) past the time, std::runtime_error
  /// naming the method and the URL (without its query) for any other failure.
  [[nodiscard]] boost::asio::awaitable<HttpReply> send(NodeScope& scope, const HttpUrl& url,
                                                       HttpRequest request) const;

  [[nodiscard]] std::chrono::milliseconds timeout() const noexcept { return timeout_; }
  [[nodiscard]] std::size_t max_response_bytes() const noexcept { return max_response_bytes_; }

 private:
  // The runtime's pool for `url`, found by key on the runtime.
  [[nodiscard]] std::shared_ptr<HttpOrigin> origin_for(Runtime& runtime, const HttpUrl& url) const;

  std::chrono::milliseconds timeout_;
  std::size_t max_response_bytes_;
  std::string ca_file_;  // empty: the system's certificate authorities
  HttpPoolLimits limits_;
  // The runtime the node was built for (null: built alone, and every run looks its pool up).
  const Runtime* runtime_ = nullptr;
  // The pool this node used last on runtime_ (most nodes call one origin): found again without
  // building the runtime's key or taking its lock.
  struct LastOrigin {
    bool tls = false;
    std::string host;
    std::uint16_t port = 0;
    std::shared_ptr<HttpOrigin> origin;
  };
  mutable std::mutex last_mutex_;
  mutable LastOrigin last_;
};

/// "GET https://host:port/path": a request named for messages, without its query (which may
/// carry keys).
[[nodiscard]] std::string describe(std::string_view method, const HttpUrl& url);

}  // namespace lg::detail
