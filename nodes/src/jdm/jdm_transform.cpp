#include "jdm/jdm_transform.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace lg::jdm {
namespace {

// A string attribute; blank (after trimming) or null is absent, as in ZEN.
std::string text_attribute(const Json& content, const char* name) {
  const std::string* text = optional_string(content, name, "content");
  return text == nullptr || trimmed(*text).empty() ? std::string() : *text;
}

}  // namespace

Transform::Transform(const Json& content, std::string label) : label_(std::move(label)) {
  input_field_text_ = text_attribute(content, "inputField");
  if (!input_field_text_.empty()) {
    input_field_ = try_parse(input_field_text_, zen::Mode::standard, &input_field_error_);
  }
  output_path_ = text_attribute(content, "outputPath");
  check_path(output_path_, "content.outputPath");
  const std::string mode = text_attribute(content, "executionMode");
  if (!mode.empty() && mode != "single" && mode != "loop") {
    throw ConfigError("content.executionMode",
                      fmt::format("must be \"single\" or \"loop\", found \"{}\"", mode));
  }
  loop_ = mode == "loop";
  if (const auto it = content.find("passThrough"); it != content.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      throw ConfigError("content.passThrough",
                        fmt::format("must be true or false, found {}", it->type_name()));
    }
    pass_through_ = it->get<bool>();
  }
}

Value Transform::select(const Value& input, const Value& env_nodes) const {
  if (input_field_text_.empty()) {
    return input;
  }
  if (!input_field_) {
    throw std::runtime_error(fmt::format("{}: inputField: Failed to evaluate expression: {}",
                                         label_, input_field_error_));
  }
  try {
    return input_field_->value_in(environment(input, env_nodes));
  } catch (const ExpressionError& e) {
    throw std::runtime_error(
        fmt::format("{}: inputField: Failed to evaluate expression: {}", label_, e.what()));
  }
}

Json Transform::run(const NodeInputs& inputs, NodeScope& scope,
                    const std::function<Value(const Value&, const Value&)>& work) const {
  const Value nodes = inputs.nodes(scope);
  return publish(
      scope, apply(inputs.merged(scope), nodes, [&](const Value& x) { return work(x, nodes); }));
}

void Transform::check_items(const Value& selected) const {
  if (!selected.is_array()) {
    throw std::runtime_error(
        fmt::format("{}: loop: Expected an array, found {}", label_, selected.type_name()));
  }
}

Value Transform::item(const Value& element, const Value& result) const {
  return pass_through_ ? element.merged(result) : result;
}

Value Transform::finish(const Value& input, Value out) const {
  if (!output_path_.empty()) {
    out = Value::object({}).with(output_path_, std::move(out));
  }
  return pass_through_ ? input.merged(out) : out;
}

Value Transform::apply(const Value& input, const Value& env_nodes,
                       const std::function<Value(const Value&)>& work) const {
  const Value x = select(input, env_nodes);
  if (!loop_) {
    return finish(input, work(x));
  }
  check_items(x);
  std::vector<Value> out;
  out.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const Value element = x[i];
    out.push_back(item(element, work(element)));
  }
  return finish(input, Value::array(std::move(out)));
}

}  // namespace lg::jdm
