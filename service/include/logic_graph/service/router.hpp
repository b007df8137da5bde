#pragma once

#include <logic_graph/service/server_options.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lg {
class Runtime;
}

namespace lg::service {

namespace detail {
class ServiceState;
}

/// A request as Beast reads it.
using Request = boost::beast::http::request<boost::beast::http::string_body>;
/// A response as Beast writes it.
using Response = boost::beast::http::response<boost::beast::http::string_body>;

/// What a reload did: the graphs (re)built, the ones removed, and every problem of the files
/// that stayed at their old version (or were not loaded).
struct ReloadReport {
  std::vector<std::string> loaded;
  std::vector<std::string> removed;
  std::vector<std::string> errors;  ///< one problem a line: `file: place: message`
};

/// The service's endpoints without a listener: every graph of a folder built once on one
/// Runtime, answered per request. Mount it in a Beast program of your own, or let Server do it.
///
/// @code
/// auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
/// lg::service::Router router{runtime, {.graphs_dir = "graphs"}};
/// // in a coroutine of your HTTP session:
/// lg::service::Response response;
/// co_await router.handle(request, response);
/// @endcode
class Router {
 public:
  /// Loads every graph of `options.graphs_dir`; a graph that does not load is logged and left
  /// out (see reload()). Throws std::runtime_error when the folder cannot be read.
  Router(std::shared_ptr<Runtime> runtime, ServerOptions options);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  /// Answers `request` into `response` (cleared first; its body's storage is reused). Never
  /// throws for anything a client sends; keep-alive is left to the caller.
  boost::asio::awaitable<void> handle(const Request& request, Response& response);

  /// Reads the folder again: changed files are rebuilt, removed ones dropped; a file that no
  /// longer loads keeps its old version serving, and each of its problems is logged.
  ReloadReport reload();
  /// From now on /readyz answers 503 and executions are refused as shutting down.
  void stop_taking_work() noexcept;
  /// Counts a refused request in the metrics (`reason`: connections, ...).
  void count_rejection(std::string_view reason) noexcept;
  /// How many reloads ran (the first load is 1).
  [[nodiscard]] std::uint64_t generation() const noexcept;

  /// For the listener: the service's state.
  [[nodiscard]] detail::ServiceState& state() const noexcept { return *state_; }

 private:
  std::unique_ptr<detail::ServiceState> state_;
};

}  // namespace lg::service
