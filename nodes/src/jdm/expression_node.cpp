#include "jdm/jdm_nodes.hpp"
#include "jdm/jdm_transform.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lg::jdm {
namespace {

/// ZEN's expression node: `content.expressions` [{key, value}], evaluated in order; each
/// result goes to its (dotted) key, and later expressions read the earlier ones as `$.key`.
class ExpressionNode final : public SyncNode {
 public:
  explicit ExpressionNode(const NodeDef& def)
      : SyncNode(def),
        inputs_(def),
        transform_(def.config.at("content"), fmt::format("expression node '{}'", inputs_.name())) {
    const Json& content = def.config.at("content");
    const auto list = content.find("expressions");
    if (list == content.end() || !list->is_array()) {
      throw ConfigError("content.expressions", "must be an array of {key, value}");
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Json& entry = (*list)[i];
      const std::string field = fmt::format("content.expressions[{}]", i);
      if (!entry.is_object() || !entry.value("key", Json()).is_string() ||
          !entry.value("value", Json()).is_string()) {
        throw ConfigError(field, "must be an object with string 'key' and 'value'");
      }
      Keyed keyed{
          entry["key"].get<std::string>(), entry["value"].get<std::string>(), std::nullopt, {}};
      if (keyed.key.empty() || keyed.text.empty()) {
        continue;  // ZEN skips them
      }
      check_path(keyed.key, field + ".key");
      keyed.value = try_parse(keyed.text, zen::Mode::standard, &keyed.error);
      expressions_.push_back(std::move(keyed));
    }
  }

 protected:
  Json do_run(NodeScope& scope) const override {
    return transform_.run(
        inputs_, scope, [this](const Value& x, const Value& nodes) { return evaluate(x, nodes); });
  }

 private:
  struct Keyed {
    std::string key;
    std::string text;
    std::optional<zen::Expression> value;  // nullopt: it does not parse
    std::string error;                     // why not
  };

  // The keys go to `$` as they are computed (later ones read them there): `$` is the result.
  Value evaluate(const Value& x, const Value& nodes) const {
    zen::Environment env = environment(x, nodes);
    for (const Keyed& keyed : expressions_) {
      try {
        if (!keyed.value) {
          throw std::runtime_error(keyed.error);  // ZEN, which parses here, fails here too
        }
        (void)env.assign("$", keyed.key, *keyed.value);
      } catch (const std::runtime_error& e) {
        throw std::runtime_error(
            fmt::format("expression node '{}', key '{}': Failed to evaluate "
                        "expression: {}",
                        inputs_.name(), keyed.key, e.what()));
      }
    }
    return expressions_.empty() ? Value::object({}) : env.bound("$");
  }

  NodeInputs inputs_;
  Transform transform_;
  std::vector<Keyed> expressions_;
};

}  // namespace

void register_expression_node(NodeRegistry& registry) {
  add_node(registry, "expressionNode",
           [](const NodeBuild& build) { return std::make_unique<ExpressionNode>(build.def()); });
}

}  // namespace lg::jdm
