#include "jdm/jdm_data.hpp"
#include "jdm/jdm_nodes.hpp"

#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

namespace lg::jdm {
namespace {

/// ZEN's input node: the execution's input, whole.
class InputNode final : public SyncNode {
 public:
  explicit InputNode(const NodeDef& def) : SyncNode(def), key_(def.config.value("input_key", "")) {}

 protected:
  Json do_run(NodeScope& scope) const override {
    const Json* input = scope.get(key_);
    return publish(scope, input != nullptr ? Value::from_json(*input) : Value());
  }

 private:
  std::string key_;
};

/// ZEN's output node: what its parents give, merged.
class OutputNode final : public SyncNode {
 public:
  explicit OutputNode(const NodeDef& def) : SyncNode(def), inputs_(def) {}

 protected:
  Json do_run(NodeScope& scope) const override { return publish(scope, inputs_.merged(scope)); }

 private:
  NodeInputs inputs_;
};

/// ZEN's switch node: `statements` [{id, condition}]; with `hitPolicy` first the first that
/// holds, with collect every one, takes the edges leaving from its `sourceHandle` (an empty
/// condition always holds; one that fails does not). Its result is its input.
class SwitchNode final : public SyncNode {
 public:
  explicit SwitchNode(const NodeDef& def) : SyncNode(def), inputs_(def) {
    const Json& content = def.config.at("content");
    const Json policy = content.value("hitPolicy", Json("first"));
    if (policy != "first" && policy != "collect") {
      throw ConfigError("content.hitPolicy", "must be \"first\" or \"collect\"");
    }
    first_ = policy == "first";
    const auto statements = content.find("statements");
    if (statements == content.end() || !statements->is_array()) {
      throw ConfigError("content.statements", "must be an array of {id, condition}");
    }
    const Json& keys = def.config.at("branches");
    for (std::size_t i = 0; i < statements->size(); ++i) {
      const Json& statement = (*statements)[i];
      const Json condition = statement.is_object() ? statement.value("condition", Json()) : Json();
      if (!condition.is_string()) {
        throw ConfigError(fmt::format("content.statements[{}].condition", i), "must be a string");
      }
      const std::string& text = condition.get_ref<const std::string&>();
      branches_.push_back({keys.at(i).get<std::string>(), text.empty(),
                           text.empty() ? std::nullopt : try_parse(text, zen::Mode::standard)});
    }
  }

 protected:
  Json do_run(NodeScope& scope) const override {
    const Value input = inputs_.merged(scope);
    std::optional<zen::Environment> env;
    bool taken = false;
    for (const Branch& branch : branches_) {
      bool holds = false;
      if (!(first_ && taken)) {
        if (branch.always) {
          holds = true;
        } else if (branch.condition) {
          if (!env) {
            env.emplace(environment(input, inputs_.nodes(scope)));
          }
          holds = branch.condition->holds(*env);
        }
      }
      taken = taken || holds;
      scope.set(branch.key, holds);
    }
    return publish(scope, input);
  }

 private:
  struct Branch {
    std::string key;  // the context key its edges are conditional on
    bool always;
    std::optional<zen::Expression> condition;
  };

  NodeInputs inputs_;
  bool first_ = true;
  std::vector<Branch> branches_;
};

}  // namespace

void register_flow_nodes(NodeRegistry& registry) {
  add_node(registry, "inputNode",
           [](const NodeBuild& build) { return std::make_unique<InputNode>(build.def()); });
  add_node(registry, "outputNode",
           [](const NodeBuild& build) { return std::make_unique<OutputNode>(build.def()); });
  add_node(registry, "switchNode",
           [](const NodeBuild& build) { return std::make_unique<SwitchNode>(build.def()); });
}

}  // namespace lg::jdm
