#include "jdm/jdm_data.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <utility>

namespace lg::jdm {

Json publish(NodeScope& scope, Value out) {
  Json json = scope.traced() ? out.to_json() : Json();
  scope.keep(std::make_shared<const Value>(std::move(out)));
  return json;
}

std::optional<Value> output_of(const NodeScope& scope, std::string_view id) {
  if (const Value* kept = scope.kept<Value>(id)) {
    return *kept;
  }
  if (const Json* result = scope.get(id)) {
    return Value::from_json(*result);
  }
  return std::nullopt;
}

namespace {

// Unicode's White_Space characters in UTF-8: what Rust's trim() removes.
constexpr std::string_view unicode_spaces[] = {
    " ",      "\t",     "\n",     "\v",     "\f",     "\r",     "\u0085", "\u00a0", "\u1680",
    "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008",
    "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"};

// The length of the space `text` starts (or ends) with, or 0.
std::size_t space_at(std::string_view text, bool at_end) {
  for (const std::string_view space : unicode_spaces) {
    if (at_end ? text.ends_with(space) : text.starts_with(space)) {
      return space.size();
    }
  }
  return 0;
}

}  // namespace

std::string trimmed(std::string_view text) {
  while (const std::size_t n = space_at(text, false)) {
    text.remove_prefix(n);
  }
  while (const std::size_t n = space_at(text, true)) {
    text.remove_suffix(n);
  }
  return std::string(text);
}

void check_path(std::string_view path, const std::string& field) {
  if (std::count(path.begin(), path.end(), '.') >= max_path_segments) {
    throw ConfigError(field, fmt::format("a path of more than {} segments", max_path_segments));
  }
}

const std::string* optional_string(const Json& object, const char* name, const std::string& at) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    return nullptr;
  }
  if (!it->is_string()) {
    throw ConfigError(fmt::format("{}.{}", at, name),
                      fmt::format("must be a string, found {}", it->type_name()));
  }
  return &it->get_ref<const std::string&>();
}

bool taken(const Parent& parent, const NodeScope& scope) {
  if (!parent.conditional) {
    return true;
  }
  for (const std::string& key : parent.keys) {
    const Json* value = scope.get(key);
    if (value != nullptr && *value == true) {
      return true;
    }
  }
  return false;
}

Parent read_parent(const Json& edge, const char* id_field) {
  Parent parent{edge.at(id_field).get<std::string>(), false, {}};
  if (const auto when = edge.find("when"); when != edge.end()) {
    parent.conditional = true;
    parent.keys = when->get<std::vector<std::string>>();
  }
  return parent;
}

NodeInputs::NodeInputs(const NodeDef& def) {
  name_ = def.config.value("name", "");
  for (const Json& parent : def.config.value("parents", Json::array())) {
    parents_.push_back(read_parent(parent, "id"));
  }
  for (const Json& seen : def.config.value("nodes_view", Json::array())) {
    view_.emplace_back(seen.at("id").get<std::string>(), seen.at("name").get<std::string>());
  }
}

Value NodeInputs::merged(const NodeScope& scope) const {
  std::optional<Value> merged;
  for (const Parent& parent : parents_) {
    if (!taken(parent, scope)) {
      continue;
    }
    std::optional<Value> data = output_of(scope, parent.id);
    if (!data) {
      continue;  // skipped: behind a branch not taken
    }
    if (!merged) {
      merged = std::move(*data);
      continue;
    }
    if (!merged->is_object() && !merged->is_array()) {
      merged = Value::object({});
    }
    merged = merged->merged(*data);
  }
  if (!merged || !(merged->is_object() || merged->is_array())) {
    return Value::object({});
  }
  return std::move(*merged);
}

Value NodeInputs::nodes(const NodeScope& scope) const {
  if (view_.empty()) {
    return Value();
  }
  std::vector<std::pair<std::string, Value>> seen;
  for (const auto& [id, name] : view_) {
    if (std::optional<Value> data = output_of(scope, id)) {
      seen.emplace_back(name, std::move(*data));
    }
  }
  return Value::object(std::move(seen));
}

zen::Environment environment(const Value& x, const Value& nodes) {
  zen::Environment env(x);
  if (!nodes.is_null()) {
    env.bind("$nodes", nodes);
  }
  return env;
}
std::optional<zen::Expression> try_parse(const std::string& text, zen::Mode mode,
                                         std::string* error) {
  try {
    return zen::Expression::parse(text, mode);
  } catch (const ExpressionError& e) {
    if (error != nullptr) {
      *error = e.what();
    }
    return std::nullopt;
  }
}

}  // namespace lg::jdm
