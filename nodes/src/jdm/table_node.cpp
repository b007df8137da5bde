#include "jdm/jdm_nodes.hpp"
#include "jdm/jdm_transform.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

namespace lg::jdm {
namespace {

// A cell: absent (empty or missing: any value), or an expression that may not parse (it then
// fails when evaluated, as in ZEN).
struct Cell {
  bool present = false;
  std::optional<zen::Expression> expression;
};

struct InputColumn {
  std::string id;
  std::optional<zen::Expression> field;  // `$` is its value; without one, cells are tests
  bool has_field = false;
};

struct OutputColumn {
  std::string id;
  std::string path;      // empty: skipped
  bool collect = false;  // `field[]`: a first-hit table collects this column over every hit
};

/// ZEN's decision table node: rows of unary tests against input columns, `hitPolicy` first
/// (the first row that holds) or collect (every row that does), outputs at dotted fields.
class TableNode final : public SyncNode {
 public:
  explicit TableNode(const NodeDef& def)
      : SyncNode(def),
        inputs_(def),
        transform_(def.config.at("content"), fmt::format("decision table '{}'", inputs_.name())) {
    const Json& content = def.config.at("content");
    const Json policy = content.value("hitPolicy", Json());
    if (policy != "first" && policy != "collect") {
      throw ConfigError("content.hitPolicy", "must be \"first\" or \"collect\"");
    }
    collect_ = policy == "collect";
    const Json& inputs = array(content, "inputs");
    for (std::size_t c = 0; c < inputs.size(); ++c) {
      const std::string at = fmt::format("content.inputs[{}]", c);
      InputColumn in{column_id(inputs[c], at), std::nullopt, false};
      const std::string* field = optional_string(inputs[c], "field", at);
      if (field != nullptr && !trimmed(*field).empty()) {
        in.has_field = true;
        in.field = try_parse(*field, zen::Mode::standard);
      }
      inputs_columns_.push_back(std::move(in));
    }
    const Json& outputs = array(content, "outputs");
    for (std::size_t c = 0; c < outputs.size(); ++c) {
      const std::string at = fmt::format("content.outputs[{}]", c);
      OutputColumn out{column_id(outputs[c], at), "", false};
      if (const std::string* field = optional_string(outputs[c], "field", at)) {
        out.path = trimmed(*field);
      }
      if (out.path.ends_with("[]")) {
        out.path = trimmed(out.path.substr(0, out.path.size() - 2));
        out.collect = true;
        first_collect_ = !collect_;
      }
      check_path(out.path, at + ".field");
      outputs_.push_back(std::move(out));
    }
    const Json& rules = array(content, "rules");
    for (std::size_t r = 0; r < rules.size(); ++r) {
      const Json& rule = rules[r];
      if (!rule.is_object()) {
        throw ConfigError(fmt::format("content.rules[{}]", r), "must be an object");
      }
      Row row;
      for (const InputColumn& column : inputs_columns_) {
        row.tests.push_back(
            cell(rule, r, column.id, column.has_field ? zen::Mode::unary : zen::Mode::standard));
      }
      for (const OutputColumn& column : outputs_) {
        row.outputs.push_back(cell(rule, r, column.id, zen::Mode::standard));
      }
      rows_.push_back(std::move(row));
    }
  }

 protected:
  Json do_run(NodeScope& scope) const override {
    return transform_.run(
        inputs_, scope, [this](const Value& x, const Value& nodes) { return evaluate(x, nodes); });
  }

 private:
  struct Row {
    std::vector<Cell> tests;
    std::vector<Cell> outputs;
  };

  static const Json& array(const Json& content, const char* name) {
    const auto it = content.find(name);
    if (it == content.end() || !it->is_array()) {
      throw ConfigError(fmt::format("content.{}", name), "missing or not an array");
    }
    return *it;
  }

  static std::string column_id(const Json& column, const std::string& at) {
    if (!column.is_object()) {
      throw ConfigError(at,
                        fmt::format("a column must be an object, found {}", column.type_name()));
    }
    const std::string* id = optional_string(column, "id", at);
    if (id == nullptr) {
      throw ConfigError(at + ".id", "missing");
    }
    return *id;
  }

  static Cell cell(const Json& rule, std::size_t r, const std::string& column, zen::Mode mode) {
    const auto it = rule.find(column);
    if (it == rule.end()) {
      return {};
    }
    if (!it->is_string()) {
      throw ConfigError(fmt::format("content.rules[{}].{}", r, column),
                        fmt::format("must be a string, found {}", it->type_name()));
    }
    const std::string text = trimmed(it->get<std::string>());
    if (text.empty()) {
      return {};
    }
    return {true, try_parse(text, mode)};
  }

  bool matches(const Row& row, zen::Environment& env) const {
    for (std::size_t c = 0; c < inputs_columns_.size(); ++c) {
      const Cell& test = row.tests[c];
      if (!test.present) {
        continue;
      }
      const InputColumn& column = inputs_columns_[c];
      if (column.has_field && (!column.field || !env.bind_result("$", *column.field))) {
        return false;
      }
      if (!test.expression || !test.expression->holds(env)) {
        return false;
      }
    }
    return true;
  }

  // The row's outputs, or nullopt when one fails (the row then counts as no match, as in ZEN).
  // `scalars` false: only the collected (`field[]`) columns.
  std::optional<Value> outputs(const Row& row, const zen::Environment& env, bool scalars,
                               std::vector<std::vector<Value>>* collected) const {
    Value out = Value::object({});
    std::vector<std::pair<std::size_t, Value>> picked;
    for (std::size_t c = 0; c < outputs_.size(); ++c) {
      const OutputColumn& column = outputs_[c];
      const Cell& value = row.outputs[c];
      const bool collected_here = first_collect_ && column.collect;
      if (column.path.empty() || !value.present || (!scalars && !collected_here)) {
        continue;
      }
      if (!value.expression) {
        return std::nullopt;
      }
      try {
        Value v = value.expression->value_in(env);
        if (collected_here) {
          picked.emplace_back(c, std::move(v));
        } else {
          out = out.with(column.path, std::move(v));
        }
      } catch (const ExpressionError&) {
        return std::nullopt;
      }
    }
    for (auto& [c, v] : picked) {
      (*collected)[c].push_back(std::move(v));
    }
    return out;
  }

  Value evaluate(const Value& x, const Value& nodes) const {
    zen::Environment env = environment(x, nodes);
    if (first_collect_) {
      return first_collect(env);
    }
    std::vector<Value> hits;
    for (const Row& row : rows_) {
      if (!matches(row, env)) {
        continue;
      }
      std::optional<Value> out = outputs(row, env, true, nullptr);
      if (!out) {
        continue;
      }
      if (!collect_) {
        return std::move(*out);
      }
      hits.push_back(std::move(*out));
    }
    return collect_ ? Value::array(std::move(hits)) : Value();
  }

  // hitPolicy first with `field[]` outputs: the first hit's other outputs, and each collected
  // column's values over every hit.
  Value first_collect(zen::Environment& env) const {
    std::optional<Value> scalars;
    std::vector<std::vector<Value>> collected(outputs_.size());
    for (const Row& row : rows_) {
      if (!matches(row, env)) {
        continue;
      }
      std::optional<Value> out = outputs(row, env, !scalars, &collected);
      if (out && !scalars) {
        scalars = std::move(out);
      }
    }
    if (!scalars) {
      return Value();
    }
    for (std::size_t c = 0; c < outputs_.size(); ++c) {
      if (outputs_[c].collect && !outputs_[c].path.empty()) {
        *scalars = scalars->with(outputs_[c].path, Value::array(std::move(collected[c])));
      }
    }
    return std::move(*scalars);
  }

  NodeInputs inputs_;
  Transform transform_;
  bool collect_ = false;
  bool first_collect_ = false;
  std::vector<InputColumn> inputs_columns_;
  std::vector<OutputColumn> outputs_;
  std::vector<Row> rows_;
};

}  // namespace

void register_table_node(NodeRegistry& registry) {
  add_node(registry, "decisionTableNode",
           [](const NodeBuild& build) { return std::make_unique<TableNode>(build.def()); });
}

}  // namespace lg::jdm
