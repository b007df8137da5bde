#include "zen/zen_value.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <stdexcept>

namespace lg::zen {
namespace {

thread_local BuildBudget* current_budget = nullptr;

template <typename Container, typename ValueOf>
std::uint16_t nesting_of(const Container& c, ValueOf value_of) {
  if (c.size() > max_elements) {
    throw std::length_error(fmt::format("more than {} elements", max_elements));
  }
  BuildBudget::charge(c.size() * sizeof(typename Container::value_type));
  std::size_t deepest = 0;
  for (const auto& e : c) {
    deepest = std::max(deepest, value_of(e).depth());
  }
  if (deepest + 1 > max_value_depth) {
    throw std::length_error(
        fmt::format("arrays and objects nested deeper than {} levels", max_value_depth));
  }
  return static_cast<std::uint16_t>(deepest + 1);
}

}  // namespace

BuildBudget::BuildBudget(std::size_t bytes) noexcept : left_(bytes), outer_(current_budget) {
  current_budget = this;
}

BuildBudget::~BuildBudget() {
  current_budget = outer_;
}

void BuildBudget::charge(std::size_t bytes) {
  BuildBudget* b = current_budget;
  if (b == nullptr) {
    return;
  }
  if (bytes > b->left_) {
    throw std::length_error(
        fmt::format("the evaluation built more than {} bytes of values", max_built_bytes));
  }
  b->left_ -= bytes;
}

Value Value::string(std::string s) {
  if (s.size() > max_string_bytes) {
    throw std::length_error(fmt::format("a string longer than {} bytes", max_string_bytes));
  }
  BuildBudget::charge(s.size());
  return Value(Data(std::make_shared<const std::string>(std::move(s))));
}

Value Value::array(Array a) {
  const auto depth = nesting_of(a, [](const Value& v) -> const Value& { return v; });
  return Value(Data(std::make_shared<const Array>(std::move(a))), depth);
}

Value Value::object(Object o) {
  const auto depth = nesting_of(o, [](const auto& kv) -> const Value& { return kv.second; });
  return Value(Data(std::make_shared<const Object>(std::move(o))), depth);
}

Value Value::interval(Interval i) {
  return Value(Data(std::make_shared<const Interval>(std::move(i))));
}

Value Value::from_json(const nlohmann::json& j) {
  return from_json(j, 0);
}

Value Value::from_json(const nlohmann::json& j, std::size_t depth) {
  // Checked before recursing: a deep input must not exhaust the stack here.
  if (depth > max_value_depth) {
    throw std::length_error(
        fmt::format("arrays and objects nested deeper than {} levels", max_value_depth));
  }
  switch (j.type()) {
    case nlohmann::json::value_t::boolean:
      return boolean(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return number(Decimal::from_int(j.get<std::int64_t>()));
    case nlohmann::json::value_t::number_unsigned:
      return number(Decimal::from_uint(j.get<std::uint64_t>()));
    case nlohmann::json::value_t::number_float: {
      const auto d = Decimal::from_double(j.get<double>());
      return d ? number(*d) : Value();
    }
    case nlohmann::json::value_t::string:
      return string(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      Array a;
      a.reserve(j.size());
      for (const auto& e : j) {
        a.push_back(from_json(e, depth + 1));
      }
      return array(std::move(a));
    }
    case nlohmann::json::value_t::object: {
      Object o;
      for (const auto& [k, v] : j.get_ref<const nlohmann::json::object_t&>()) {
        o.emplace_hint(o.end(), k, from_json(v, depth + 1));  // both maps are sorted by key
      }
      return object(std::move(o));
    }
    default:
      return Value();
  }
}

Value Value::member(std::string_view key) const {
  if (!is_object()) {
    return Value();
  }
  const auto& o = as_object();
  const auto it = o.find(key);
  return it == o.end() ? Value() : it->second;
}

nlohmann::json Value::to_json() const {
  switch (kind()) {
    case Kind::boolean:
      return as_bool();
    case Kind::number: {
      const Decimal& d = as_number();
      if (const auto u = d.to_uint64()) {
        return *u;
      }
      if (const auto i = d.to_int64()) {
        return *i;
      }
      return d.to_double();
    }
    case Kind::string:
      return as_string();
    case Kind::date:
      return iso_text(as_date());
    case Kind::array: {
      nlohmann::json out(nlohmann::json::value_t::array);
      auto& elements = out.get_ref<nlohmann::json::array_t&>();
      elements.reserve(as_array().size());
      for (const auto& e : as_array()) {
        elements.push_back(e.to_json());
      }
      return out;
    }
    case Kind::object: {
      nlohmann::json out(nlohmann::json::value_t::object);
      auto& members = out.get_ref<nlohmann::json::object_t&>();
      for (const auto& [k, v] : as_object()) {
        members.emplace_hint(members.end(), k, v.to_json());  // both maps are sorted by key
      }
      return out;
    }
    default:
      return nullptr;
  }
}

std::string_view Value::type_name() const noexcept {
  switch (kind()) {
    case Kind::null:
      return "null";
    case Kind::boolean:
      return "bool";
    case Kind::number:
      return "number";
    case Kind::string:
      return "string";
    case Kind::array:
      return "array";
    case Kind::object:
      return "object";
    case Kind::interval:
      return "interval";
    case Kind::date:
      return "date";
  }
  return "null";
}

bool equal(const Value& a, const Value& b) noexcept {
  if (a.kind() != b.kind()) {
    return false;
  }
  switch (a.kind()) {
    case Value::Kind::null:
      return true;
    case Value::Kind::boolean:
      return a.as_bool() == b.as_bool();
    case Value::Kind::number:
      return a.as_number() == b.as_number();
    case Value::Kind::string:
      return a.as_string() == b.as_string();
    case Value::Kind::date:
      return a.as_date() == b.as_date();
    default:
      return false;
  }
}

}  // namespace lg::zen
