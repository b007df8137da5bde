#include <logic_graph/engine/node/node_config.hpp>
#include "decisions/decision_table.hpp"
#include "registration.hpp"

#include <string>
#include <utility>
#include <vector>

namespace lg::detail {
namespace {

const nlohmann::json& required_array(const nlohmann::json& object, const std::string& key,
                                     const std::string& field) {
  const auto found = object.find(key);
  if (found == object.end()) {
    throw ConfigError(field, "missing");
  }
  if (!found->is_array()) {
    throw ConfigError(field, std::string("must be an array, found ") + found->type_name());
  }
  return *found;
}

std::string indexed(const std::string& field, std::size_t i) {
  return field + "[" + std::to_string(i) + "]";
}

UnaryTest read_cell(const nlohmann::json& cell, bool has_subject, const std::string& field) {
  if (cell.is_array() || cell.is_object()) {
    throw ConfigError(field, std::string("must be a test (a string), found ") + cell.type_name());
  }
  try {
    return compile_unary_test(cell.is_null()     ? std::string()
                              : cell.is_string() ? cell.get<std::string>()
                                                 : cell.dump(),
                              has_subject);
  } catch (const ExpressionError& e) {
    throw ConfigError(field, e.what());
  }
}

TableRule read_rule(const nlohmann::json& rule, const std::vector<TableInput>& inputs,
                    std::size_t outputs, const std::string& field) {
  if (!rule.is_object()) {
    throw ConfigError(
        field, std::string("must be an object with 'when' and 'then', found ") + rule.type_name());
  }
  for (const auto& [key, value] : rule.items()) {
    if (key != "when" && key != "then" && key != "description") {
      throw ConfigError(field + "." + key,
                        "not a field of a rule (they are 'when', 'then', 'description')");
    }
  }
  const nlohmann::json& when = required_array(rule, "when", field + ".when");
  const nlohmann::json& then = required_array(rule, "then", field + ".then");
  if (when.size() != inputs.size()) {
    throw ConfigError(field + ".when", "has " + std::to_string(when.size()) + " cells for " +
                                           std::to_string(inputs.size()) +
                                           " inputs (an empty cell \"\" matches anything)");
  }
  if (then.size() != outputs) {
    throw ConfigError(field + ".then", "has " + std::to_string(then.size()) + " values for " +
                                           std::to_string(outputs) + " outputs");
  }
  TableRule read;
  for (std::size_t c = 0; c < when.size(); ++c) {
    read.when.push_back(
        read_cell(when[c], inputs[c].subject.has_value(), indexed(field + ".when", c)));
  }
  for (std::size_t j = 0; j < then.size(); ++j) {
    if (then[j].is_string() && then[j].get_ref<const std::string&>().empty()) {
      read.then.emplace_back();
    } else {
      read.then.emplace_back(config::expression_value(then[j], indexed(field + ".then", j)));
    }
  }
  return read;
}

DecisionTable read_table(const NodeDef& def) {
  config::allow_only(def, {"hit", "inputs", "outputs", "rules"});
  DecisionTable::Hit hit = DecisionTable::Hit::first;
  if (const auto found = def.config.find("hit"); found != def.config.end()) {
    if (*found == "collect") {
      hit = DecisionTable::Hit::collect;
    } else if (*found != "first") {
      throw ConfigError("hit", "must be \"first\" or \"collect\", found " + found->dump());
    }
  }
  std::vector<TableInput> inputs;
  const nlohmann::json& input_fields = required_array(def.config, "inputs", "inputs");
  for (std::size_t c = 0; c < input_fields.size(); ++c) {
    const nlohmann::json& input = input_fields[c];
    const std::string field = indexed("inputs", c);
    if (input.is_null() || (input.is_string() && input.get_ref<const std::string&>().empty())) {
      inputs.push_back({std::nullopt, field});
    } else {
      inputs.push_back(
          {config::expression_value(input, field),
           field + " '" + (input.is_string() ? input.get<std::string>() : input.dump()) + "'"});
    }
  }
  std::vector<std::string> outputs;
  const nlohmann::json& output_fields = required_array(def.config, "outputs", "outputs");
  for (std::size_t j = 0; j < output_fields.size(); ++j) {
    if (!output_fields[j].is_string()) {
      throw ConfigError(indexed("outputs", j), std::string("must be a key (a string), found ") +
                                                   output_fields[j].type_name());
    }
    outputs.push_back(output_fields[j].get<std::string>());
  }
  std::vector<TableRule> rules;
  const nlohmann::json& rule_fields = required_array(def.config, "rules", "rules");
  for (std::size_t r = 0; r < rule_fields.size(); ++r) {
    rules.push_back(read_rule(rule_fields[r], inputs, outputs.size(), indexed("rules", r)));
  }
  return DecisionTable(hit, std::move(inputs), outputs, std::move(rules));
}

/// `decision_table`: the rules whose cells all hold for the inputs' values, as ZEN evaluates
/// them; see DecisionTable.
class DecisionTableNode final : public SyncNode {
 public:
  explicit DecisionTableNode(const NodeDef& def) : SyncNode(def), table_(read_table(def)) {}

 protected:
  nlohmann::json do_run(NodeScope& scope) const override { return table_.evaluate(scope); }

 private:
  DecisionTable table_;
};

}  // namespace

void register_decision_table_node(NodeRegistry& registry) {
  registry.add("decision_table",
               [](const NodeDef& def) { return std::make_unique<DecisionTableNode>(def); });
}

}  // namespace lg::detail
