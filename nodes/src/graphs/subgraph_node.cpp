#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_error.hpp>
#include "graphs/child_graph.hpp"
#include "registration.hpp"

#include <string>
#include <utility>
#include <vector>

namespace lg::detail {
namespace {

/// `subgraph`: runs a child graph (`graph` inline or `file`) on the same runtime, without
/// holding a thread while it waits. Its input is `input` (child key -> expression on this
/// node's context; none: an empty input). Its result is `output` (parent key -> expression on
/// the child's final context, each also written here), or without `output` the child's final
/// context. A child graph of synchronous nodes runs inline. A failure names the child node by
/// its path (`parent/child`).
class SubgraphNode final : public Node {
 public:
  explicit SubgraphNode(const NodeBuild& build)
      : Node(build.def(), true),
        child_(child_graph(build)),
        input_(keyed_expressions(build.def(), "input")),
        output_(keyed_expressions(build.def(), "output")) {
    for (const KeyedExpression& out : output_) {
      if (out.key == id() || build.is_node_id(out.key)) {
        throw ConfigError("output." + out.key, "is a node id, whose result it would overwrite");
      }
    }
  }

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    nlohmann::json input = nlohmann::json::object();
    for (const KeyedExpression& in : input_) {
      input[in.key] = scope.evaluate(in.value);
    }
    GraphRun run = scope.start_graph(*child_, std::move(input));
    if (run.ready()) {
      return finish(scope, [&] { return run.result(); });
    }
    return wait(scope, std::move(run));
  }

 private:
  boost::asio::awaitable<nlohmann::json> wait(NodeScope& scope, GraphRun run) const {
    std::exception_ptr error;
    try {
      ExecutionResult result = co_await run.wait();
      co_return finish(scope, [&] { return std::move(result); });
    } catch (...) {
      error = std::current_exception();
    }
    throw child_failure(error, id());
  }

  template <class Result>
  nlohmann::json finish(NodeScope& scope, Result&& result_of) const {
    ExecutionResult result;
    try {
      result = result_of();
    } catch (const ExecutionError&) {
      throw child_failure(std::current_exception(), id());
    }
    if (output_.empty()) {
      return result.to_json();
    }
    nlohmann::json values = nlohmann::json::object();
    for (const KeyedExpression& out : output_) {
      nlohmann::json value = out.value.evaluate(result.context());
      values[out.key] = value;
      scope.set(out.key, std::move(value));
    }
    return values;
  }

  std::shared_ptr<Executor> child_;
  std::vector<KeyedExpression> input_;
  std::vector<KeyedExpression> output_;
};

}  // namespace

void register_subgraph_node(NodeRegistry& registry) {
  registry.add("subgraph", [](const NodeBuild& build) {
    config::allow_only(build.def(), {"graph", "file", "input", "output"});
    return std::make_unique<SubgraphNode>(build);
  });
}

}  // namespace lg::detail
