#include "jdm/jdm_data.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace lg::jdm {
namespace {

void merge_nested(Json& doc, const Json& patch) {
  if (!doc.is_object() || !patch.is_object()) {
    doc = patch;
    return;
  }
  // ZEN shares values between nodes and leaves an object merged into itself alone (its nulls
  // stay); here values are copies, so equal stands for the same.
  if (doc == patch) {
    return;
  }
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it->is_null()) {
      doc.erase(it.key());
    } else {
      merge_nested(doc[it.key()], *it);
    }
  }
}

}  // namespace

void merge(Json& doc, const Json& patch) {
  if (patch.is_array()) {
    doc = patch;
  } else if (patch.is_object()) {
    merge_nested(doc, patch);
  }
}

void dot_insert(Json& object, std::string_view path, Json value) {
  Json* at = &object;
  for (;;) {
    if (!at->is_object()) {
      return;
    }
    const auto dot = path.find('.');
    const std::string key(path.substr(0, dot));
    if (dot == std::string_view::npos) {
      (*at)[key] = std::move(value);
      return;
    }
    const auto below = at->find(key);
    if (below == at->end()) {
      at = &((*at)[key] = Json::object());
    } else {
      at = &*below;  // not an object (null included): nothing is set, as in ZEN
    }
    path.remove_prefix(dot + 1);
  }
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

void strip_nodes_keys(Json& value) {
  if (value.is_object()) {
    value.erase("$nodes");
    for (Json& member : value) {
      strip_nodes_keys(member);
    }
  } else if (value.is_array()) {
    for (Json& element : value) {
      strip_nodes_keys(element);
    }
  }
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

Json NodeInputs::merged(const NodeScope& scope) const {
  Json storage;
  const Json& input = merged(scope, storage);
  return &input == &storage ? std::move(storage) : input;
}

const Json& NodeInputs::merged(const NodeScope& scope, Json& storage) const {
  const Json* head = nullptr;  // the first parent's result, not copied until a second comes
  for (const Parent& parent : parents_) {
    const Json* data = scope.get(parent.id);
    if (data == nullptr) {
      continue;  // skipped: behind a branch not taken
    }
    if (!taken(parent, scope)) {
      continue;
    }
    if (head == nullptr) {
      head = data;
      continue;
    }
    if (head != &storage) {
      storage = head->is_object() || head->is_array() ? *head : Json::object();
      head = &storage;
    }
    merge(storage, *data);
  }
  if (head == nullptr || !(head->is_object() || head->is_array())) {
    storage = Json::object();
    return storage;
  }
  return *head;
}

Json NodeInputs::nodes(const NodeScope& scope) const {
  Json view = Json::object();
  for (const auto& [id, name] : view_) {
    if (const Json* data = scope.get(id)) {
      view[name] = *data;
    }
  }
  return view;
}

zen::Environment environment(const Json& x, const Json& nodes) {
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
