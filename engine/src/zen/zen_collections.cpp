#include "zen/zen_collections.hpp"

#include "zen/zen_arguments.hpp"

namespace lg::zen {
namespace {

Value merged(const Value& into, const Value& from, bool deep) {
  if (deep && into.is_array() && from.is_array()) {
    Array out = into.as_array();
    out.insert(out.end(), from.as_array().begin(), from.as_array().end());
    return Value::array(std::move(out));
  }
  if (!into.is_object() || !from.is_object()) {
    return from;
  }
  return Value::object(
      Object::merged(into.as_object(), from.as_object(), [deep](const Value* old, const Value& v) {
        return std::optional<Value>(deep && old != nullptr ? merged(*old, v, true) : v);
      }));
}
Value merge_all(const Args& a, std::string_view fn, bool deep) {
  Value acc;
  for (const auto& v : array_arg(a, 0, fn)) {
    if (v.is_null()) {
      continue;
    }
    if (!v.is_array() && !v.is_object()) {
      bad(fn, fmt::format("merges arrays or objects, not {}", v.type_name()));
    }
    if (acc.is_null()) {
      acc = v;
    } else if (acc.kind() != v.kind()) {
      bad(fn, "cannot merge an array with an object");
    } else if (v.is_array() && !deep) {
      if (acc.as_array().size() + v.as_array().size() > max_elements) {
        bad(fn, fmt::format("more than {} elements", max_elements));
      }
      Array out = acc.as_array();
      out.insert(out.end(), v.as_array().begin(), v.as_array().end());
      acc = Value::array(std::move(out));
    } else {
      acc = merged(acc, v, deep);
    }
  }
  return acc.is_null() ? Value::object({}) : acc;
}
}  // namespace

Value f_keys(const Args& a) {
  Array out;
  if (a[0].is_object()) {
    for (const auto& [k, v] : a[0].as_object()) {
      out.push_back(Value::string(k));
    }
  } else {
    for (std::size_t i = 0; i < array_arg(a, 0, "keys").size(); ++i) {
      out.push_back(Value::number(Decimal::from_uint(i)));
    }
  }
  return Value::array(std::move(out));
}
Value f_values(const Args& a) {
  if (!a[0].is_object()) {
    bad("values", fmt::format("takes an object, not {}", a[0].type_name()));
  }
  Array out;
  for (const auto& [k, v] : a[0].as_object()) {
    out.push_back(v);
  }
  return Value::array(std::move(out));
}
Value f_flatten(const Args& a) {
  Array out;
  for (const auto& v : array_arg(a, 0, "flatten")) {
    if (v.is_array()) {
      if (out.size() + v.as_array().size() > max_elements) {
        bad("flatten", fmt::format("more than {} elements", max_elements));
      }
      out.insert(out.end(), v.as_array().begin(), v.as_array().end());
    } else {
      out.push_back(v);
    }
  }
  return Value::array(std::move(out));
}
Value f_merge(const Args& a) {
  return merge_all(a, "merge", false);
}
Value f_merge_deep(const Args& a) {
  return merge_all(a, "mergeDeep", true);
}

}  // namespace lg::zen
