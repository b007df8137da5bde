#include <logic_graph/engine/node/node_config.hpp>
#include "registration.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lg::detail {
namespace {

/// `cases`: [{when, value}, ...] and an optional `default`; the result is the value of the first
/// case whose `when` holds, else the default's (else null). Edges branch on it with `when`.
class SwitchNode final : public SyncNode {
 public:
  explicit SwitchNode(const NodeDef& def) : SyncNode(def) {
    config::allow_only(def, {"cases", "default"});
    const auto cases = def.config.find("cases");
    if (cases == def.config.end()) {
      throw ConfigError("cases", "missing");
    }
    if (!cases->is_array()) {
      throw ConfigError("cases", std::string("must be an array, found ") + cases->type_name());
    }
    for (std::size_t i = 0; i < cases->size(); ++i) {
      cases_.push_back(read_case((*cases)[i], "cases[" + std::to_string(i) + "]"));
    }
    if (const auto fallback = def.config.find("default"); fallback != def.config.end()) {
      default_ = config::expression_value(*fallback, "default");
    }
  }

 protected:
  nlohmann::json do_run(NodeScope& scope) const override {
    for (const Case& c : cases_) {
      if (scope.test(c.when)) {
        return scope.evaluate(c.value);
      }
    }
    return default_ ? scope.evaluate(*default_) : nlohmann::json();
  }

 private:
  struct Case {
    Expression when;
    Expression value;
  };

  static Case read_case(const nlohmann::json& item, const std::string& field) {
    if (!item.is_object()) {
      throw ConfigError(field, std::string("must be an object with 'when' and 'value', found ") +
                                   item.type_name());
    }
    for (const auto& [key, value] : item.items()) {
      if (key != "when" && key != "value") {
        throw ConfigError(field + "." + key, "not a field of a case (they are 'when', 'value')");
      }
    }
    const auto part = [&](const char* name) {
      const auto found = item.find(name);
      if (found == item.end()) {
        throw ConfigError(field + "." + name, "missing");
      }
      return config::expression_value(*found, field + "." + name);
    };
    return {part("when"), part("value")};
  }

  std::vector<Case> cases_;
  std::optional<Expression> default_;
};

}  // namespace

void register_switch_node(NodeRegistry& registry) {
  registry.add("switch", [](const NodeDef& def) { return std::make_unique<SwitchNode>(def); });
}

}  // namespace lg::detail
