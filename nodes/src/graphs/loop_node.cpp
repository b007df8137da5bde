#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_error.hpp>
#include "graphs/child_graph.hpp"
#include "registration.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lg::detail {
namespace {

// The state's keys, as `while` reads them.
class StateLookup final : public KeyLookup {
 public:
  explicit StateLookup(const nlohmann::json& state) noexcept : state_(state) {}
  [[nodiscard]] const nlohmann::json* find(std::string_view key) const noexcept override {
    const auto found = state_.find(key);
    return found == state_.end() ? nullptr : &*found;
  }

 private:
  const nlohmann::json& state_;
};

/// `loop`: runs the child graph (`graph` or `file`) with the state as its input while `while`
/// (an expression on the state) holds; the child's final values of the state's keys are the
/// next state (a key it did not write keeps its value). The result is the last state. More than
/// `max_iterations` runs is an error, never a hang; a stopping execution stops the loop between
/// iterations. A synchronous child runs inline with no coroutine; from the first child that
/// suspends on, the loop awaits each one.
class LoopNode final : public Node {
 public:
  LoopNode(const NodeBuild& build, std::int64_t max_iterations)
      : Node(build.def(), true),
        child_(child_graph(build)),
        state_(keyed_expressions(build.def(), "state")),
        while_(config::required_expression(build.def(), "while")),
        max_iterations_(max_iterations) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    nlohmann::json state = nlohmann::json::object();
    for (const KeyedExpression& key : state_) {
      state[key.key] = scope.evaluate(key.value);
    }
    for (std::int64_t iteration = 0; holds(state, iteration); ++iteration) {
      check(scope, iteration);
      GraphRun run = scope.start_graph(*child_, state);
      if (!run.ready()) {
        return rest(scope, std::move(state), iteration, std::move(run));
      }
      advance(state, iteration, [&] { return run.result(); });
    }
    return state;
  }

 private:
  // Iteration `iteration` on: its child is running.
  boost::asio::awaitable<nlohmann::json> rest(NodeScope& scope, nlohmann::json state,
                                              std::int64_t iteration, GraphRun run) const {
    for (;;) {
      std::optional<ExecutionResult> result;
      std::exception_ptr error;
      try {
        result.emplace(co_await run.wait());  // cancelled with the node: stops the child
      } catch (...) {
        error = std::current_exception();
      }
      advance(state, iteration, [&] {
        if (error) {
          std::rethrow_exception(error);
        }
        return std::move(*result);
      });
      // The next iterations inline while their children do not suspend.
      for (++iteration;; ++iteration) {
        if (!holds(state, iteration)) {
          co_return std::move(state);
        }
        check(scope, iteration);
        run = scope.start_graph(*child_, state);
        if (!run.ready()) {
          break;
        }
        advance(state, iteration, [&] { return run.result(); });
      }
    }
  }

  [[nodiscard]] bool holds(const nlohmann::json& state, std::int64_t iteration) const {
    try {
      return while_.test(StateLookup(state));
    } catch (const std::exception& e) {
      throw NodeError(
          NodeError::Kind::failed, id(),
          "field 'while' (after " + std::to_string(iteration) + " iterations): " + e.what());
    }
  }

  // Before iteration `iteration` (from 0) starts: the limit, and the execution's stop.
  void check(const NodeScope& scope, std::int64_t iteration) const {
    if (iteration == max_iterations_) {
      throw NodeError(NodeError::Kind::failed, id(),
                      "'while' still holds after max_iterations (" +
                          std::to_string(max_iterations_) + ") iterations");
    }
    if (scope.stop_requested()) {
      throw NodeError(NodeError::Kind::cancelled, id(),
                      "stopped after " + std::to_string(iteration) + " iterations");
    }
  }

  // The next state from iteration `iteration`'s child (`take` gives its result or throws).
  template <class Take>
  void advance(nlohmann::json& state, std::int64_t iteration, Take&& take) const {
    ExecutionResult result;
    try {
      result = take();
    } catch (...) {
      throw child_failure(std::current_exception(), id() + "[" + std::to_string(iteration) + "]");
    }
    for (auto it = state.begin(); it != state.end(); ++it) {
      if (const nlohmann::json* written = result.context().get(it.key())) {
        it.value() = *written;
      }
    }
  }

  std::shared_ptr<Executor> child_;
  std::vector<KeyedExpression> state_;
  Expression while_;
  std::int64_t max_iterations_;
};

}  // namespace

void register_loop_node(NodeRegistry& registry) {
  registry.add("loop", [](const NodeBuild& build) {
    const NodeDef& def = build.def();
    config::allow_only(def, {"state", "while", "graph", "file", "max_iterations"});
    if (config::required_object(def, "state").empty()) {
      throw ConfigError("state", "must have a key at least: the loop carries it");
    }
    std::int64_t max_iterations = 1000;
    if (const auto found = def.config.find("max_iterations"); found != def.config.end()) {
      if (!found->is_number_integer() || found->get<std::int64_t>() < 1) {
        throw ConfigError("max_iterations", "must be a positive integer, found " + found->dump());
      }
      max_iterations = found->get<std::int64_t>();
    }
    return std::make_unique<LoopNode>(build, max_iterations);
  });
}

}  // namespace lg::detail
