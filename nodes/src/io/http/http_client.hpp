#pragma once

#include "io/http/http_exchange.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_scope.hpp>

#include <boost/asio/awaitable.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace lg::detail {

/// What the nodes that call HTTP servers (`http`, `llm`) share: their transport fields
/// `timeout_ms`, `max_response_bytes`, `ca_file` and `max_connections`, read from the config,
/// and the runtime's connection pools, one per origin and TLS settings.
class HttpClient {
 public:
  /// The transport fields of `def` (ca_file relative to `graph`'s file), with the node's own
  /// defaults. ConfigError naming the field.
  HttpClient(const NodeDef& def, const GraphDef* graph, std::chrono::milliseconds timeout,
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
  std::chrono::milliseconds timeout_;
  std::size_t max_response_bytes_;
  std::string ca_file_;  // empty: the system's certificate authorities
  HttpPoolLimits limits_;
};

/// "GET https://host:port/path": a request named for messages, without its query (which may
/// carry keys).
[[nodiscard]] std::string describe(std::string_view method, const HttpUrl& url);

}  // namespace lg::detail
