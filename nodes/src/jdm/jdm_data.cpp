#include "jdm/jdm_data.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <utility>

namespace lg::jdm {
namespace {

void merge_nested(Json& doc, const Json& patch) {
  if (!doc.is_object() || !patch.is_object()) {
    doc = patch;
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
    at = &(*at)[key];
    if (at->is_null()) {
      *at = Json::object();
    }
    path.remove_prefix(dot + 1);
  }
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

NodeInputs::NodeInputs(const NodeDef& def) {
  name_ = def.config.value("name", "");
  for (const Json& parent : def.config.value("parents", Json::array())) {
    parents_.push_back({parent.at("id").get<std::string>(), parent.value("when", "")});
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
    if (!parent.when.empty()) {
      const Json* taken = scope.get(parent.when);
      if (taken == nullptr || *taken != true) {
        continue;
      }
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
