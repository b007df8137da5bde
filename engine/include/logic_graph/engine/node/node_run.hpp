#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <utility>

namespace lg {

/// What starting a node gives: its result now (a node that completes inline, with no coroutine
/// frame), or an awaitable that produces it later (a node that suspends).
///
/// @code
/// lg::NodeRun run = inner->start(scope);
/// if (run.ready()) {
///   return std::move(run).value();  // finished inline
/// }
/// nlohmann::json later = co_await std::move(run).wait();
/// @endcode
class NodeRun {
 public:
  /// Finished: `value` is the node's result.
  NodeRun(nlohmann::json value) noexcept  // NOLINT: a node returns its result as is
      : value_(std::move(value)), ready_(true) {}
  /// Suspended: `later` produces the result.
  NodeRun(boost::asio::awaitable<nlohmann::json> later) noexcept  // NOLINT: as is, too
      : later_(std::move(later)), ready_(false) {}

  /// True when the result is there already.
  [[nodiscard]] bool ready() const noexcept { return ready_; }
  /// The result (ready() only).
  [[nodiscard]] nlohmann::json& value() & noexcept { return value_; }
  [[nodiscard]] nlohmann::json value() && noexcept { return std::move(value_); }
  /// An awaitable for the result: the node's own when it suspended, one that returns the value
  /// at once when it is ready().
  [[nodiscard]] boost::asio::awaitable<nlohmann::json> wait() &&;

 private:
  nlohmann::json value_;
  boost::asio::awaitable<nlohmann::json> later_;
  bool ready_;
};

}  // namespace lg
