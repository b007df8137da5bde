#include "jdm/jdm_transform.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

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

Json Transform::select(const Json& input, const Json& env_nodes) const {
  if (input_field_text_.empty()) {
    return input;
  }
  if (!input_field_) {
    throw std::runtime_error(fmt::format("{}: inputField: Failed to evaluate expression: {}",
                                         label_, input_field_error_));
  }
  try {
    return input_field_->evaluate_in(environment(input, env_nodes));
  } catch (const ExpressionError& e) {
    throw std::runtime_error(
        fmt::format("{}: inputField: Failed to evaluate expression: {}", label_, e.what()));
  }
}

Json Transform::run(const NodeInputs& inputs, const NodeScope& scope,
                    const std::function<Json(const Json&, const Json&)>& work) const {
  const Json nodes = inputs.sees_nodes() ? inputs.nodes(scope) : Json();
  Json storage;
  return apply(inputs.merged(scope, storage), nodes, [&](const Json& x) { return work(x, nodes); });
}

const Json& Transform::items(const Json& selected) const {
  if (!selected.is_array()) {
    throw std::runtime_error(
        fmt::format("{}: loop: Expected an array, found {}", label_, selected.type_name()));
  }
  return selected;
}

Json Transform::item(const Json& element, Json result) const {
  if (!pass_through_) {
    return result;
  }
  Json merged = element;
  merge(merged, result);
  return merged;
}

Json Transform::finish(const Json& input, Json out) const {
  if (!output_path_.empty()) {
    Json placed = Json::object();
    dot_insert(placed, output_path_, std::move(out));
    out = std::move(placed);
  }
  if (pass_through_) {
    Json merged = input;
    merge(merged, out);
    out = std::move(merged);
  }
  return out;
}

Json Transform::apply(const Json& input, const Json& env_nodes,
                      const std::function<Json(const Json&)>& work) const {
  Json selected;
  if (!input_field_text_.empty()) {
    selected = select(input, env_nodes);
  }
  const Json& x = input_field_text_.empty() ? input : selected;
  if (!loop_) {
    return finish(input, work(x));
  }
  Json out = Json::array();
  for (const Json& element : items(x)) {
    out.push_back(item(element, work(element)));
  }
  return finish(input, std::move(out));
}

}  // namespace lg::jdm
