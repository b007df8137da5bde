#include <logic_graph/engine/node/node_config.hpp>
#include "registration.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

namespace lg::detail {
namespace {

// A year: far beyond any wait a graph means, and far below where milliseconds overflow the
// timer's nanoseconds.
constexpr std::int64_t max_delay_ms = 365LL * 24 * 60 * 60 * 1000;

/// Waits `ms` milliseconds on a timer (no thread is held); the result is the wait in ms.
class DelayNode final : public AsyncNode {
 public:
  explicit DelayNode(const NodeDef& def)
      : AsyncNode(def), ms_(config::optional_count(def, "ms", 0)) {
    config::allow_only(def, {"ms"});
    if (ms_ > max_delay_ms) {
      throw ConfigError("ms", "must be at most " + std::to_string(max_delay_ms) +
                                  " (a year), found " + std::to_string(ms_));
    }
  }

 protected:
  boost::asio::awaitable<nlohmann::json> do_run(NodeScope& scope) const override {
    boost::asio::steady_timer timer(scope.executor(), std::chrono::milliseconds(ms_));
    co_await timer.async_wait(boost::asio::use_awaitable);
    co_return ms_;
  }

 private:
  std::int64_t ms_;
};

}  // namespace

void register_delay_node(NodeRegistry& registry) {
  registry.add("delay", [](const NodeDef& def) { return std::make_unique<DelayNode>(def); });
}

}  // namespace lg::detail
