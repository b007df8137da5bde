#include <logic_graph/engine/node/node_error.hpp>
#include "registration.hpp"
#include "wrappers/circuit.hpp"
#include "wrappers/wrapper_config.hpp"

#include <memory>
#include <string>

namespace lg::detail {
namespace {

/// `circuit_breaker`: runs `node` through a Circuit (see circuit.hpp) shared by every execution
/// on the runtime: by `name` when given (nodes of any graph with one name share a circuit),
/// else by the node's place. A refused run fails at once, saying when the next trial is. Time-
/// outs count as failures; cancellations count as neither. Notes "circuit_opened" and
/// "circuit_refused".
class CircuitBreakerNode final : public Node {
 public:
  CircuitBreakerNode(const NodeDef& def, std::unique_ptr<Node> inner,
                     std::shared_ptr<Circuit> circuit)
      : Node(def, inner->may_suspend()), inner_(std::move(inner)), circuit_(std::move(circuit)) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    const Circuit::Admission admission = admit(scope);
    if (inner_->may_suspend()) {
      return run_later(scope, admission);
    }
    nlohmann::json result;
    try {
      result = std::move(inner_->start(scope)).value();
    } catch (...) {
      end(scope, admission, std::current_exception());
      throw;
    }
    end(scope, admission, nullptr);
    return result;
  }

 private:
  boost::asio::awaitable<nlohmann::json> run_later(NodeScope& scope,
                                                   Circuit::Admission admission) const {
    std::exception_ptr error;
    try {
      nlohmann::json result = co_await scope.run(*inner_);
      end(scope, admission, nullptr);
      co_return result;
    } catch (...) {
      error = std::current_exception();
    }
    end(scope, admission, error);
    std::rethrow_exception(error);
  }

  [[nodiscard]] Circuit::Admission admit(NodeScope& scope) const {
    const Circuit::Admission admission = circuit_->admit(Circuit::Clock::now());
    if (!admission.admitted) {
      scope.note("circuit_refused", admission.retry_in.count());
      throw NodeError(NodeError::Kind::failed, id(),
                      "circuit open after " +
                          std::to_string(circuit_->settings().failure_threshold) +
                          " failures in a row; next trial in " +
                          std::to_string(admission.retry_in.count()) + " ms");
    }
    return admission;
  }

  void end(NodeScope& scope, const Circuit::Admission& admission,
           const std::exception_ptr& error) const noexcept {
    Circuit::Outcome outcome = Circuit::Outcome::succeeded;
    if (error) {
      try {
        outcome = to_node_error(error, id()).kind() == NodeError::Kind::cancelled
                      ? Circuit::Outcome::neither
                      : Circuit::Outcome::failed;
      } catch (...) {
        outcome = Circuit::Outcome::failed;  // no memory to look: a failure all the same
      }
    }
    if (circuit_->end(admission, outcome, Circuit::Clock::now())) {
      scope.note("circuit_opened", circuit_->settings().failure_threshold);
    }
  }

  std::unique_ptr<Node> inner_;
  std::shared_ptr<Circuit> circuit_;
};

Circuit::Settings read_settings(const NodeDef& def) {
  Circuit::Settings settings;
  settings.failure_threshold = config::optional_count(def, "failure_threshold", 5);
  if (settings.failure_threshold < 1) {
    throw ConfigError("failure_threshold", "must be at least 1");
  }
  settings.reset = wait_ms(def, "reset_ms", 30'000, 1);
  settings.probes = config::optional_count(def, "half_open_probes", 1);
  if (settings.probes < 1) {
    throw ConfigError("half_open_probes", "must be at least 1");
  }
  return settings;
}

}  // namespace

void register_circuit_breaker_node(NodeRegistry& registry) {
  registry.add("circuit_breaker", [](const NodeBuild& build) {
    const NodeDef& def = build.def();
    config::allow_only(def, {"node", "name", "failure_threshold", "reset_ms", "half_open_probes"});
    const Circuit::Settings settings = read_settings(def);
    std::unique_ptr<Node> inner = inner_node(build);
    std::shared_ptr<Circuit> circuit = runtime_shared<Circuit>(
        build, "circuit", [&] { return std::make_shared<Circuit>(settings); },
        [&](const Circuit& existing) {
          return existing.settings().failure_threshold == settings.failure_threshold &&
                 existing.settings().reset == settings.reset &&
                 existing.settings().probes == settings.probes;
        });
    return std::make_unique<CircuitBreakerNode>(def, std::move(inner), std::move(circuit));
  });
}

}  // namespace lg::detail
