#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_error.hpp>
#include "registration.hpp"
#include "wrappers/wrapper_config.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace lg::detail {
namespace {

/// How many runs a schedule has seen: shared by every execution on the runtime (and by every
/// node with the same `key`), so that a retry's attempts and later executions move it on.
struct RunCount {
  std::atomic<std::int64_t> runs{0};
};

/// The field `schedule`: a non-empty string of `f` (fail), `s` (succeed), `t` (take `delay_ms`).
std::string read_schedule(const NodeDef& def) {
  const std::string schedule = config::required_string(def, "schedule");
  if (schedule.empty()) {
    throw ConfigError("schedule", "must not be empty: a letter per run, f, s or t");
  }
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const char letter = schedule[i];
    if (letter != 'f' && letter != 's' && letter != 't') {
      throw ConfigError("schedule",
                        fmt::format("letter {} of '{}' must be f (fail), s (succeed) or t (take "
                                    "delay_ms), found '{}'",
                                    i + 1, schedule, letter));
    }
  }
  return schedule;
}

/// `scripted`: a test double for a service that fails on a schedule, so that retry, timeout,
/// try and circuit breaker flows run deterministically from a graph file. Run N (counted on the
/// runtime, from 1) takes letter N of `schedule`, the last letter once the schedule is used
/// up: `f` fails (kind failed), `s` succeeds with `value` (an expression; without one the
/// run's number), `t` waits `delay_ms` (default a day: until a timeout or a stop cancels the
/// wait) and then succeeds as `s` does. Without a `t` it completes inline.
class ScriptedNode final : public Node {
 public:
  ScriptedNode(const NodeDef& def, std::string schedule, std::optional<Expression> value,
               std::chrono::milliseconds delay, std::shared_ptr<RunCount> count)
      : Node(def, schedule.find('t') != std::string::npos),
        schedule_(std::move(schedule)),
        value_(std::move(value)),
        delay_(delay),
        count_(std::move(count)) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    const std::int64_t run = count_->runs.fetch_add(1, std::memory_order_relaxed) + 1;
    const auto letter_index = std::min(static_cast<std::size_t>(run - 1), schedule_.size() - 1);
    switch (schedule_[letter_index]) {
      case 'f':
        throw NodeError(NodeError::Kind::failed, id(),
                        fmt::format("scripted failure on run {} (letter {} of '{}')", run,
                                    letter_index + 1, schedule_));
      case 't':
        return slow(scope, run);
      default:
        return result(scope, run);
    }
  }

 private:
  [[nodiscard]] nlohmann::json result(NodeScope& scope, std::int64_t run) const {
    return value_ ? scope.evaluate(*value_) : nlohmann::json(run);
  }

  boost::asio::awaitable<nlohmann::json> slow(NodeScope& scope, std::int64_t run) const {
    // A stop or a timeout wrapper cancels this wait: operation_aborted, a cancellation.
    boost::asio::steady_timer timer(scope.executor(), delay_);
    co_await timer.async_wait(boost::asio::use_awaitable);
    co_return result(scope, run);
  }

  std::string schedule_;
  std::optional<Expression> value_;
  std::chrono::milliseconds delay_;
  std::shared_ptr<RunCount> count_;
};

}  // namespace

void register_scripted_node(NodeRegistry& registry) {
  registry.add("scripted", [](const NodeBuild& build) {
    const NodeDef& def = build.def();
    config::allow_only(def, {"schedule", "value", "delay_ms", "key"});
    std::string schedule = read_schedule(def);
    std::optional<Expression> value;
    if (const auto found = def.config.find("value"); found != def.config.end()) {
      value = config::expression_value(*found, "value");
    }
    const std::chrono::milliseconds delay = wait_ms(def, "delay_ms", max_wait_ms);
    auto make = [] { return std::make_shared<RunCount>(); };
    std::shared_ptr<RunCount> count;
    if (!build.runtime()) {
      count = make();  // built alone: a count of its own
    } else {
      // By `key`, else by the node's place, as circuits are: one count per node per runtime.
      const std::string key =
          def.config.contains("key") ? config::required_string(def, "key") : build.where();
      count = build.runtime()->shared<RunCount>(fmt::format("scripted:{}", key), make);
    }
    return std::make_unique<ScriptedNode>(def, std::move(schedule), std::move(value), delay,
                                          std::move(count));
  });
}

}  // namespace lg::detail
