#include <logic_graph/engine/node/node_error.hpp>
#include "registration.hpp"
#include "wrappers/wrapper_config.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <string>

namespace lg::detail {
namespace {

using Clock = std::chrono::steady_clock;

/// `timeout`: fails with kind timed_out when `node` takes longer than `ms`. An inner node that
/// suspends is cancelled when the time is up (its timers and sockets stop); one that completes
/// inline cannot be interrupted, so its result (and writes) are dropped when it took too long.
class TimeoutNode final : public Node {
 public:
  TimeoutNode(const NodeDef& def, std::unique_ptr<Node> inner, std::chrono::milliseconds limit)
      : Node(def, inner->may_suspend()), inner_(std::move(inner)), limit_(limit) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    if (inner_->may_suspend()) {
      return race(scope);
    }
    const Clock::time_point began = Clock::now();
    NodeScope writes = scope.nested();
    nlohmann::json result = std::move(inner_->start(writes)).value();
    if (Clock::now() - began > limit_) {
      throw timed_out();
    }
    writes.commit();
    return result;
  }

 private:
  // The inner node against a timer: whichever ends first cancels the other, and both have
  // ended when this returns. A stop of the execution cancels both.
  boost::asio::awaitable<nlohmann::json> race(NodeScope& scope) const {
    namespace asio = boost::asio;
    const auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, limit_);
    NodeScope writes = scope.nested();
    auto [order, error, result, timer_error] =
        co_await asio::experimental::make_parallel_group(
            asio::co_spawn(executor, writes.run(*inner_), asio::deferred),
            timer.async_wait(asio::deferred))
            .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    if (order[0] == 1 && !timer_error) {
      throw timed_out();  // the time ran out first (the inner node was cancelled)
    }
    if (error) {
      std::rethrow_exception(error);
    }
    writes.commit();
    co_return std::move(result);
  }

  [[nodiscard]] NodeError timed_out() const {
    return NodeError(NodeError::Kind::timed_out, id(),
                     "timed out after " + std::to_string(limit_.count()) + " ms");
  }

  std::unique_ptr<Node> inner_;
  std::chrono::milliseconds limit_;
};

}  // namespace

void register_timeout_node(NodeRegistry& registry) {
  registry.add("timeout", [](const NodeBuild& build) {
    const NodeDef& def = build.def();
    config::allow_only(def, {"node", "ms"});
    if (!def.config.contains("ms")) {
      throw ConfigError("ms", "missing");
    }
    const std::chrono::milliseconds limit = wait_ms(def, "ms", 0, 1);
    return std::make_unique<TimeoutNode>(def, inner_node(build), limit);
  });
}

}  // namespace lg::detail
