#include "zen/zen_value_edits.hpp"

#include <optional>
#include <string>
#include <utility>

namespace lg::zen {
namespace {

Value merged_nested(const Value& doc, const Value& patch) {
  if (!doc.is_object() || !patch.is_object()) {
    return patch;
  }
  if (&doc.as_object() == &patch.as_object()) {
    return doc;  // the same object (ZEN compares pointers): its nulls stay
  }
  return Value::object(
      Object::merged(doc.as_object(), patch.as_object(),
                     [](const Value* old, const Value& value) -> std::optional<Value> {
                       if (value.is_null()) {
                         return std::nullopt;  // a null deletes the key
                       }
                       return old != nullptr ? merged_nested(*old, value) : value;
                     }));
}

}  // namespace

Value merged(const Value& doc, const Value& patch) {
  if (patch.is_array()) {
    return patch;
  }
  if (patch.is_object()) {
    return merged_nested(doc, patch);
  }
  return doc;
}

Value with_path(const Value& base, std::string_view path, const Value& v) {
  if (!base.is_object()) {
    return base;
  }
  const auto dot = path.find('.');
  Object o = base.as_object();
  const std::string key(path.substr(0, dot));
  if (dot == std::string_view::npos) {
    o.insert_or_assign(key, v);
  } else {
    // A missing key gets an object on the way; a value there that is none (null included)
    // takes nothing.
    const auto below = o.find(key);
    if (below != o.end() && !below->second.is_object()) {
      return base;
    }
    Value inner = below == o.end() ? Value::object({}) : below->second;
    o.insert_or_assign(key, with_path(inner, path.substr(dot + 1), v));
  }
  return Value::object(std::move(o));
}

namespace {

// `v` without members named `key`; nullopt when it has none (`v` stays as it is).
std::optional<Value> edited_without(const Value& v, std::string_view key) {
  if (v.is_array()) {
    const Array& elements = v.as_array();
    std::optional<Array> a;
    for (std::size_t i = 0; i < elements.size(); ++i) {
      std::optional<Value> edited = edited_without(elements[i], key);
      if (edited && !a) {
        a.emplace(elements.begin(), elements.begin() + static_cast<std::ptrdiff_t>(i));
      }
      if (a) {
        a->push_back(edited ? std::move(*edited) : elements[i]);
      }
    }
    return a ? std::optional<Value>(Value::array(std::move(*a))) : std::nullopt;
  }
  if (!v.is_object()) {
    return std::nullopt;
  }
  const Object& members = v.as_object();
  std::optional<Object> o;  // made at the first member that changes
  for (auto it = members.begin(); it != members.end(); ++it) {
    std::optional<Value> edited;
    if (it->first != key) {
      edited = edited_without(it->second, key);
    }
    const bool changes = it->first == key || edited.has_value();
    if (changes && !o) {
      o.emplace(members.begin(), it);
    }
    if (o && it->first != key) {
      o->emplace_hint(o->end(), it->first, edited ? std::move(*edited) : it->second);
    }
  }
  return o ? std::optional<Value>(Value::object(std::move(*o))) : std::nullopt;
}

}  // namespace

Value without_key(const Value& v, std::string_view key) {
  std::optional<Value> edited = edited_without(v, key);
  return edited ? std::move(*edited) : v;
}

}  // namespace lg::zen
