#include "io/http/http_client.hpp"

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_error.hpp>

#include <fmt/format.h>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/system_error.hpp>

#include <filesystem>
#include <fstream>

namespace lg::detail {
namespace {

namespace ssl = boost::asio::ssl;

constexpr std::int64_t max_timeout_ms = 24LL * 60 * 60 * 1000;  // a day
constexpr std::int64_t max_connections = 10'000;

// The runtime's TLS settings for `ca_file` (empty: the system's authorities only).
std::shared_ptr<ssl::context> tls_context(Runtime& runtime, const std::string& ca_file) {
  return runtime.shared<ssl::context>("lg.http.tls:" + ca_file, [&] {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
    context->set_default_verify_paths();
    if (!ca_file.empty()) {
      boost::system::error_code error;
      context->load_verify_file(ca_file, error);
      if (error) {
        throw std::runtime_error(fmt::format("ca_file '{}': no certificate could be read ({})",
                                             ca_file, error.message()));
      }
    }
    return context;
  });
}

}  // namespace

HttpClient::HttpClient(const NodeBuild& build, std::chrono::milliseconds timeout,
                       std::size_t max_response_bytes)
    : timeout_(config::optional_count(build.def(), "timeout_ms", timeout.count())),
      max_response_bytes_(static_cast<std::size_t>(config::optional_count(
          build.def(), "max_response_bytes", static_cast<std::int64_t>(max_response_bytes)))),
      runtime_(build.runtime().get()) {
  const NodeDef& def = build.def();
  const GraphDef* graph = build.graph();
  if (timeout_.count() < 1 || timeout_.count() > max_timeout_ms) {
    throw ConfigError("timeout_ms", fmt::format("must be from 1 to {} (a day), found {}",
                                                max_timeout_ms, timeout_.count()));
  }
  if (max_response_bytes_ < 1) {
    throw ConfigError("max_response_bytes", "must be at least 1");
  }
  const std::int64_t connections = config::optional_count(
      def, "max_connections", static_cast<std::int64_t>(limits_.max_connections));
  if (connections < 1 || connections > max_connections) {
    throw ConfigError("max_connections",
                      fmt::format("must be from 1 to {}, found {}", max_connections, connections));
  }
  limits_.max_connections = static_cast<std::size_t>(connections);
  limits_.max_idle = limits_.max_connections;
  if (def.config.contains("ca_file")) {
    std::filesystem::path file(config::required_string(def, "ca_file"));
    if (file.is_relative() && graph != nullptr && !graph->source.empty()) {
      file = std::filesystem::path(graph->source).parent_path() / file;
    }
    if (!std::ifstream(file).good()) {
      throw ConfigError("ca_file", fmt::format("'{}' cannot be read", file.string()));
    }
    ca_file_ = file.lexically_normal().string();
  }
}

boost::asio::awaitable<HttpReply> HttpClient::send(NodeScope& scope, const HttpUrl& url,
                                                   HttpRequest request) const {
  Runtime& runtime = scope.runtime();
  HttpCall call{url, std::move(request), HttpClock::now() + timeout_, max_response_bytes_};
  std::shared_ptr<HttpOrigin> origin;
  try {
    origin = origin_for(runtime, url);
  } catch (const std::exception& e) {
    throw std::runtime_error(
        fmt::format("{}: {}", describe(call.request.method_string(), url), e.what()));
  }
  try {
    co_return co_await http_exchange(*origin, runtime.get_executor(), call);
  } catch (const HttpFailure& failure) {
    std::string message =
        fmt::format("{}: {}", describe(call.request.method_string(), url), failure.what());
    if (failure.timed_out()) {
      throw NodeError(NodeError::Kind::timed_out, std::string(scope.node_id()),
                      message + fmt::format(" after {} ms (timeout_ms)", timeout_.count()));
    }
    throw std::runtime_error(message);
  }
}

std::shared_ptr<HttpOrigin> HttpClient::origin_for(Runtime& runtime, const HttpUrl& url) const {
  const bool cached = &runtime == runtime_;
  if (cached) {
    const std::scoped_lock lock(last_mutex_);
    if (last_.origin != nullptr && last_.tls == url.tls && last_.port == url.port &&
        last_.host == url.host) {
      return last_.origin;
    }
  }
  std::shared_ptr<ssl::context> tls = url.tls ? tls_context(runtime, ca_file_) : nullptr;
  // The first node to call an origin sets its limits for the runtime.
  auto origin = runtime.shared<HttpOrigin>(
      fmt::format("lg.http:{}|{}", url.origin(), ca_file_),
      [&] { return std::make_shared<HttpOrigin>(std::move(tls), limits_); });
  if (cached) {
    const std::scoped_lock lock(last_mutex_);
    last_ = LastOrigin{url.tls, url.host, url.port, origin};
  }
  return origin;
}

std::string describe(std::string_view method, const HttpUrl& url) {
  const std::string_view target = url.target;
  return fmt::format("{} {}{}", method, url.origin(), target.substr(0, target.find('?')));
}

}  // namespace lg::detail
