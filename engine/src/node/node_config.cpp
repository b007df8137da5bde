#include <logic_graph/engine/node/node_config.hpp>

#include <algorithm>
#include <span>

namespace lg::config {
namespace {

const nlohmann::json& required(const NodeDef& def, std::string_view field) {
  const auto found = def.config.find(field);
  if (found == def.config.end()) {
    throw ConfigError(std::string(field), "missing");
  }
  return *found;
}

[[noreturn]] void wrong_type(std::string_view field, std::string_view expected,
                             const nlohmann::json& value) {
  throw ConfigError(std::string(field),
                    "must be " + std::string(expected) + ", found " + value.type_name());
}

}  // namespace

std::string required_string(const NodeDef& def, std::string_view field) {
  const nlohmann::json& value = required(def, field);
  if (!value.is_string()) {
    wrong_type(field, "a string", value);
  }
  return value.get<std::string>();
}

const nlohmann::json& required_object(const NodeDef& def, std::string_view field) {
  const nlohmann::json& value = required(def, field);
  if (!value.is_object()) {
    wrong_type(field, "an object", value);
  }
  return value;
}

std::int64_t optional_count(const NodeDef& def, std::string_view field, std::int64_t fallback) {
  const auto found = def.config.find(field);
  if (found == def.config.end()) {
    return fallback;
  }
  if (!found->is_number_integer() || found->get<std::int64_t>() < 0) {
    wrong_type(field, "a non-negative integer", *found);
  }
  return found->get<std::int64_t>();
}

Expression expression(std::string_view text, std::string_view field) {
  try {
    return Expression::parse(text);
  } catch (const ExpressionError& e) {
    throw ConfigError(std::string(field), e.what());
  }
}

Expression expression_value(const nlohmann::json& value, std::string_view field) {
  if (value.is_string()) {
    return expression(value.get_ref<const std::string&>(), field);
  }
  if (value.is_primitive()) {
    return expression(value.dump(), field);  // `"condition": true` reads as the expression true
  }
  wrong_type(field, "an expression (a string)", value);
}

Expression required_expression(const NodeDef& def, std::string_view field) {
  return expression_value(required(def, field), field);
}

void allow_only(const NodeDef& def, std::initializer_list<std::string_view> known) {
  allow_only(def, std::span<const std::string_view>(known.begin(), known.size()));
}

void allow_only(const NodeDef& def, std::span<const std::string_view> known) {
  for (const auto& [key, value] : def.config.items()) {
    if (key == "description" || key == "rust_type" || key == "concurrency") {
      // Allowed on every node: a note for people, the type's name in rust-logic-graph, the
      // node's concurrency limit (read by the executor, or by the node when its type claims
      // the field).
      continue;
    }
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw ConfigError(key, "not a field of type '" + def.type + "'");
    }
  }
}

}  // namespace lg::config
