#include <logic_graph/engine/node/node_error.hpp>
#include "registration.hpp"
#include "wrappers/wrapper_config.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>

namespace lg::detail {
namespace {

struct RetryPolicy {
  std::int64_t attempts = 3;
  std::chrono::milliseconds backoff{0};
  std::chrono::milliseconds max_backoff{10'000};
  bool on_failed = true;
  bool on_timed_out = true;
};

RetryPolicy read_policy(const NodeDef& def) {
  RetryPolicy policy;
  policy.attempts = config::optional_count(def, "attempts", 3);
  if (policy.attempts < 1 || policy.attempts > 1000) {
    throw ConfigError("attempts",
                      "must be from 1 to 1000, found " + std::to_string(policy.attempts));
  }
  policy.backoff = wait_ms(def, "backoff_ms", 0);
  policy.max_backoff =
      wait_ms(def, "max_backoff_ms", std::max<std::int64_t>(10'000, policy.backoff.count()));
  if (policy.max_backoff < policy.backoff) {
    throw ConfigError("max_backoff_ms", "must be at least backoff_ms (" +
                                            std::to_string(policy.backoff.count()) + ")");
  }
  if (const auto on = def.config.find("retry_on"); on != def.config.end()) {
    if (!on->is_array() || on->empty()) {
      throw ConfigError("retry_on", "must be a non-empty array of \"failed\" and \"timed_out\"");
    }
    policy.on_failed = policy.on_timed_out = false;
    for (std::size_t i = 0; i < on->size(); ++i) {
      const nlohmann::json& kind = (*on)[i];
      if (kind == "failed") {
        policy.on_failed = true;
      } else if (kind == "timed_out") {
        policy.on_timed_out = true;
      } else {
        throw ConfigError("retry_on[" + std::to_string(i) + "]",
                          "must be \"failed\" or \"timed_out\", found " + kind.dump());
      }
    }
  }
  return policy;
}

// The wait before attempt `attempt` (2 or more): backoff doubled per retry up to max_backoff,
// then a uniform draw from its upper half, so that executions failing together spread out.
std::chrono::milliseconds backoff_before(const RetryPolicy& policy, std::int64_t attempt) {
  thread_local std::minstd_rand random(
      static_cast<std::uint_fast32_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::int64_t wait = policy.backoff.count();
  for (std::int64_t i = 2; i < attempt && wait < policy.max_backoff.count(); ++i) {
    wait *= 2;
  }
  wait = std::min(wait, policy.max_backoff.count());
  std::uniform_int_distribution<std::int64_t> jitter(wait / 2, wait);
  return std::chrono::milliseconds(jitter(random));
}

/// `retry`: runs `node` up to `attempts` times while it fails with a kind in `retry_on`, waiting
/// `backoff_ms` (doubling, at most `max_backoff_ms`, with jitter) between attempts. Each attempt
/// writes into a scope of its own, kept only when it succeeds. Cancellations are never retried.
/// Notes each attempt: "attempt_ok" or "attempt_failed" (the attempt's number, the error).
class RetryNode final : public Node {
 public:
  RetryNode(const NodeDef& def, std::unique_ptr<Node> inner, const RetryPolicy& policy)
      : Node(def, inner->may_suspend() || policy.backoff.count() > 0),
        inner_(std::move(inner)),
        policy_(policy) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    if (inner_->may_suspend()) {
      return attempts_from(scope, 1);
    }
    // A synchronous inner node: attempts inline until one needs a wait between them.
    for (std::int64_t attempt = 1;; ++attempt) {
      NodeScope writes = scope.nested();
      try {
        nlohmann::json result = std::move(inner_->start(writes)).value();
        writes.commit();
        scope.note("attempt_ok", attempt);
        return result;
      } catch (...) {
        const NodeError error = to_node_error(std::current_exception(), id());
        give_up_unless_retried(scope, error, attempt);
        if (policy_.backoff.count() > 0) {
          return attempts_from(scope, attempt + 1);
        }
      }
    }
  }

 private:
  boost::asio::awaitable<nlohmann::json> attempts_from(NodeScope& scope, std::int64_t first) const {
    for (std::int64_t attempt = first;; ++attempt) {
      if (attempt > 1 && policy_.backoff.count() > 0) {
        boost::asio::steady_timer timer(scope.executor(), backoff_before(policy_, attempt));
        co_await timer.async_wait(boost::asio::use_awaitable);
      }
      NodeScope writes = scope.nested();
      try {
        nlohmann::json result = co_await writes.run(*inner_);
        writes.commit();
        scope.note("attempt_ok", attempt);
        co_return result;
      } catch (const NodeError& error) {
        give_up_unless_retried(scope, error, attempt);
      }
    }
  }

  // Notes the failed attempt; throws unless another attempt follows.
  void give_up_unless_retried(NodeScope& scope, const NodeError& error,
                              std::int64_t attempt) const {
    scope.note("attempt_failed", attempt, error.what());
    const bool retried = (error.kind() == NodeError::Kind::failed && policy_.on_failed) ||
                         (error.kind() == NodeError::Kind::timed_out && policy_.on_timed_out);
    if (!retried) {
      throw error;  // a cancellation, or a kind not in retry_on: as it is
    }
    if (attempt >= policy_.attempts) {
      throw NodeError(error.kind(), id(),
                      "gave up after " + std::to_string(attempt) + " attempts: " + error.what(),
                      error.cause());
    }
  }

  std::unique_ptr<Node> inner_;
  RetryPolicy policy_;
};

}  // namespace

void register_retry_node(NodeRegistry& registry) {
  registry.add("retry", [](const NodeBuild& build) {
    const NodeDef& def = build.def();
    config::allow_only(def, {"node", "attempts", "backoff_ms", "max_backoff_ms", "retry_on"});
    const RetryPolicy policy = read_policy(def);
    return std::make_unique<RetryNode>(def, inner_node(build), policy);
  });
}

}  // namespace lg::detail
