#include <logic_graph/engine/expr/zen_shared_value.hpp>

#include "zen/zen_shared_access.hpp"
#include "zen/zen_value.hpp"
#include "zen/zen_value_edits.hpp"

#include <logic_graph/engine/expr/expression.hpp>

#include <fmt/format.h>

#include <new>
#include <stdexcept>

namespace lg::zen {
namespace {

using Access = SharedValueAccess;

static_assert(sizeof(Value) <= 64 && alignof(Value) <= 16,
              "SharedValue's storage must hold a Value");

void quoted(std::string_view text, std::string& out) {
  out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// As nlohmann::json::dump(indent) writes, numbers exactly.
void dump_into(const Value& v, int indent, int depth, std::string& out) {
  const auto line = [&](int level) {
    if (indent >= 0) {
      out.push_back('\n');
      out.append(static_cast<std::size_t>(indent * level), ' ');
    }
  };
  switch (v.kind()) {
    case Value::Kind::boolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case Value::Kind::number:
      out += v.as_number().to_normalized_string();
      return;
    case Value::Kind::string:
      quoted(v.as_string(), out);
      return;
    case Value::Kind::date:
      quoted(iso_text(v.as_date()), out);
      return;
    case Value::Kind::array: {
      if (v.as_array().empty()) {
        out += "[]";
        return;
      }
      out.push_back('[');
      bool first = true;
      for (const Value& e : v.as_array()) {
        out += first ? "" : ",";
        first = false;
        line(depth + 1);
        dump_into(e, indent, depth + 1, out);
      }
      line(depth);
      out.push_back(']');
      return;
    }
    case Value::Kind::object: {
      if (v.as_object().empty()) {
        out += "{}";
        return;
      }
      out.push_back('{');
      bool first = true;
      for (const auto& [k, member] : v.as_object()) {
        out += first ? "" : ",";
        first = false;
        line(depth + 1);
        quoted(k, out);
        out += indent >= 0 ? ": " : ":";
        dump_into(member, indent, depth + 1, out);
      }
      line(depth);
      out.push_back('}');
      return;
    }
    default:
      out += "null";
  }
}

}  // namespace

SharedValue::SharedValue() noexcept {
  new (storage_) Value();
}

SharedValue::SharedValue(const SharedValue& other) noexcept {
  new (storage_) Value(Access::get(other));
}

SharedValue::SharedValue(SharedValue&& other) noexcept {
  new (storage_) Value(std::move(Access::get(other)));
}

SharedValue& SharedValue::operator=(const SharedValue& other) noexcept {
  Access::get(*this) = Access::get(other);
  return *this;
}

SharedValue& SharedValue::operator=(SharedValue&& other) noexcept {
  Access::get(*this) = std::move(Access::get(other));
  return *this;
}

SharedValue::~SharedValue() {
  Access::get(*this).~Value();
}

SharedValue SharedValue::from_json(const nlohmann::json& j) {
  try {
    return Access::make(Value::from_json(j));
  } catch (const std::length_error& e) {
    throw ExpressionError("", 0, fmt::format("the input is too large: {}", e.what()));
  }
}

SharedValue SharedValue::array(std::vector<SharedValue> elements) {
  Array a;
  a.reserve(elements.size());
  for (SharedValue& e : elements) {
    a.push_back(std::move(Access::get(e)));
  }
  return Access::make(Value::array(std::move(a)));
}

SharedValue SharedValue::object(std::vector<std::pair<std::string, SharedValue>> members) {
  Object o;
  for (auto& [key, value] : members) {
    o.insert_or_assign(std::move(key), std::move(Access::get(value)));
  }
  return Access::make(Value::object(std::move(o)));
}

nlohmann::json SharedValue::to_json() const {
  return Access::get(*this).to_json();
}

std::string SharedValue::dump(int indent) const {
  std::string out;
  dump_into(Access::get(*this), indent, 0, out);
  return out;
}

bool SharedValue::is_null() const noexcept {
  return Access::get(*this).is_null();
}

bool SharedValue::is_object() const noexcept {
  return Access::get(*this).is_object();
}

bool SharedValue::is_array() const noexcept {
  return Access::get(*this).is_array();
}

std::string_view SharedValue::type_name() const noexcept {
  return Access::get(*this).type_name();
}

std::size_t SharedValue::size() const noexcept {
  const Value& v = Access::get(*this);
  return v.is_array() ? v.as_array().size() : 0;
}

SharedValue SharedValue::operator[](std::size_t i) const {
  const Value& v = Access::get(*this);
  if (!v.is_array() || i >= v.as_array().size()) {
    throw std::out_of_range(fmt::format("no element {} in {}", i, v.type_name()));
  }
  return Access::make(v.as_array()[i]);
}

SharedValue SharedValue::merged(const SharedValue& patch) const {
  return Access::make(zen::merged(Access::get(*this), Access::get(patch)));
}

SharedValue SharedValue::with(std::string_view path, SharedValue value) const {
  return Access::make(with_path(Access::get(*this), path, Access::get(value)));
}

SharedValue SharedValue::without(std::string_view key) const {
  return Access::make(without_key(Access::get(*this), key));
}

}  // namespace lg::zen
