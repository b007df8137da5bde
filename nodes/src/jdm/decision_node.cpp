#include "graphs/child_graph.hpp"
#include "jdm/jdm_nodes.hpp"
#include "jdm/jdm_transform.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/exec/graph_run.hpp>
#include <logic_graph/nodes/jdm.hpp>

#include <fmt/format.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lg::jdm {
namespace {

// While a graph's decision nodes are built, on this thread: how deep the graph being built is,
// and the models compiled so far for each depth (a model named by several nodes is compiled
// once per depth, so that models that include each other cost ten levels, not 2^10).
thread_local int build_depth = 0;
thread_local std::map<std::pair<std::string, int>, std::shared_ptr<Executor>>* compiled = nullptr;

class DepthFrame {
 public:
  DepthFrame() {
    if (compiled == nullptr) {
      compiled = &owned_;
    }
    ++build_depth;
  }
  ~DepthFrame() {
    --build_depth;
    if (compiled == &owned_) {
      compiled = nullptr;
    }
  }
  DepthFrame(const DepthFrame&) = delete;
  DepthFrame& operator=(const DepthFrame&) = delete;

 private:
  std::map<std::pair<std::string, int>, std::shared_ptr<Executor>> owned_;
};

/// ZEN's decision node: runs the model `content.key` (found by the loader) with the node's input
/// on the same runtime; its result is the model's result, through the transform attributes.
class DecisionNode final : public Node {
 public:
  DecisionNode(const NodeBuild& build, const Loader& loader)
      : Node(build.def(), true),
        inputs_(build.def()),
        transform_(build.def().config.at("content"),
                   fmt::format("decision node '{}'", inputs_.name())) {
    const Json& content = build.def().config.at("content");
    const auto key = content.find("key");
    if (key == content.end() || !key->is_string()) {
      throw ConfigError("content.key", "must be a string: the sub-decision to run");
    }
    key_ = key->get<std::string>();
    if (build_depth + 1 >= max_depth) {
      return;  // fails when it runs, as ZEN's does
    }
    const DepthFrame frame;
    GraphDef model;
    try {
      model = loader(key_, build.graph() != nullptr ? *build.graph() : GraphDef());
    } catch (const std::exception& e) {
      throw ConfigError("content.key", fmt::format("JDM node '{}': cannot load '{}': {}",
                                                   inputs_.name(), key_, e.what()));
    }
    result_key_ = model.result;
    // By the key as named from the parent's file: a loader need not give each model a source.
    const std::string parent = build.graph() != nullptr ? build.graph()->source : std::string();
    auto& slot = (*compiled)[{fmt::format("{}\n{}", parent, key_), build_depth}];
    if (!slot) {
      slot = build.compile(model, "content.key");
    }
    child_ = slot;
  }

 protected:
  // The model runs on JSON (a sub-decision's input is the JSON of the selected value); its
  // result comes back as the model's result node kept it.
  NodeRun do_start(NodeScope& scope) const override {
    if (!child_) {
      throw std::runtime_error("Depth limit exceeded");
    }
    Value input = inputs_.merged(scope);
    Value selected = transform_.select(input, inputs_.nodes(scope));
    if (!transform_.loop()) {
      GraphRun run = scope.start_graph(*child_, selected.to_json());
      if (run.ready()) {
        return publish(scope, transform_.finish(input, model_result([&] { return run.result(); })));
      }
      return wait_one(scope, std::move(input), std::move(run));
    }
    transform_.check_items(selected);
    std::vector<Value> out;
    for (std::size_t i = 0; i < selected.size(); ++i) {
      GraphRun run = scope.start_graph(*child_, selected[i].to_json());
      if (!run.ready()) {
        return wait_items(scope, std::move(input), std::move(selected), std::move(out), i,
                          std::move(run));
      }
      out.push_back(transform_.item(selected[i], model_result([&] { return run.result(); })));
    }
    return publish(scope, transform_.finish(input, Value::array(std::move(out))));
  }

 private:
  // The model's result, or its failure as this node's (the model's node named by its path).
  template <class Result>
  [[nodiscard]] Value model_result(Result&& get) const {
    ExecutionResult result;
    try {
      result = get();
    } catch (const ExecutionError&) {
      throw detail::child_failure(std::current_exception(), id());
    }
    return value_of(result);
  }
  boost::asio::awaitable<Value> awaited(GraphRun& run) const {
    std::exception_ptr error;
    try {
      co_return value_of(co_await run.wait());
    } catch (const ExecutionError&) {
      error = std::current_exception();
    }
    throw detail::child_failure(error, id());
  }

  [[nodiscard]] Value value_of(const ExecutionResult& result) const {
    if (result_key_.empty()) {
      return Value::from_json(result.to_json());
    }
    if (const Value* kept = result.kept<Value>(result_key_)) {
      return *kept;
    }
    const Json* value = result.context().get(result_key_);
    return value != nullptr ? Value::from_json(*value) : Value::object({});
  }

  boost::asio::awaitable<Json> wait_one(NodeScope& scope, Value input, GraphRun run) const {
    Value out = transform_.finish(input, co_await awaited(run));
    co_return publish(scope, std::move(out));
  }

  // Loop mode once item `i` suspended: waits for it, then runs the rest one by one.
  boost::asio::awaitable<Json> wait_items(NodeScope& scope, Value input, Value selected,
                                          std::vector<Value> out, std::size_t i,
                                          GraphRun run) const {
    out.push_back(transform_.item(selected[i], co_await awaited(run)));
    for (++i; i < selected.size(); ++i) {
      GraphRun next = scope.start_graph(*child_, selected[i].to_json());
      out.push_back(transform_.item(selected[i], co_await awaited(next)));
    }
    co_return publish(scope, transform_.finish(input, Value::array(std::move(out))));
  }

  NodeInputs inputs_;
  Transform transform_;
  std::string key_;
  std::string result_key_;
  std::shared_ptr<Executor> child_;  // null past max_depth
};

}  // namespace

GraphDef load_file(const std::string& key, const GraphDef& parent) {
  std::filesystem::path file(key);
  if (file.is_relative()) {
    file = std::filesystem::path(parent.source).parent_path() / file;
  }
  return GraphDef::load(file.lexically_normal());
}

void set_loader(NodeRegistry& registry, Loader loader) {
  registry.replace("decisionNode", [loader = std::move(loader)](const NodeBuild& build) {
    return std::make_unique<DecisionNode>(build, loader);
  });
}

void register_decision_node(NodeRegistry& registry) {
  add_node(registry, "decisionNode",
           [](const NodeBuild& build) { return std::make_unique<DecisionNode>(build, load_file); });
}

}  // namespace lg::jdm
