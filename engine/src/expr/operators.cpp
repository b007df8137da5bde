#include "expr/operators.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace lg::detail {

namespace {

using Json = nlohmann::json;

std::string_view symbol(Op op) noexcept {
  switch (op) {
    case Op::logical_not:
      return "'!'";
    case Op::negate:
    case Op::sub:
      return "'-'";
    case Op::add:
      return "'+'";
    case Op::mul:
      return "'*'";
    case Op::div:
      return "'/'";
    case Op::mod:
      return "'%'";
    case Op::eq:
      return "'=='";
    case Op::ne:
      return "'!='";
    case Op::lt:
      return "'<'";
    case Op::le:
      return "'<='";
    case Op::gt:
      return "'>'";
    case Op::ge:
      return "'>='";
    case Op::in:
      return "'in'";
  }
  return "operator";
}

std::string got(const Value& a, const Value& b) {
  return ", got " + std::string(type_name(a)) + " and " + std::string(type_name(b));
}

std::partial_ordering reverse(std::partial_ordering o) noexcept {
  if (o == std::partial_ordering::less) {
    return std::partial_ordering::greater;
  }
  if (o == std::partial_ordering::greater) {
    return std::partial_ordering::less;
  }
  return o;
}

// Compares without converting the integer to double, which would make 2^53 + 1 equal 2^53.
std::partial_ordering int_vs_real(std::int64_t i, double d) noexcept {
  if (std::isnan(d)) {
    return std::partial_ordering::unordered;
  }
  constexpr double two_to_63 = 9223372036854775808.0;
  if (d >= two_to_63) {
    return std::partial_ordering::less;
  }
  if (d < -two_to_63) {
    return std::partial_ordering::greater;
  }
  const double whole = std::trunc(d);
  const auto whole_int = static_cast<std::int64_t>(whole);
  if (i != whole_int) {
    return i <=> whole_int;
  }
  return 0.0 <=> (d - whole);
}

Value arithmetic(const Evaluator& ev, const Node& node, const Value& a, const Value& b) {
  if (!a.is_number() || !b.is_number()) {
    const std::string expects =
        node.op == Op::add ? " expects two numbers or two strings" : " expects two numbers";
    ev.fail(node, std::string(symbol(node.op)) + expects + got(a, b));
  }
  if (a.kind() == Value::Kind::integer && b.kind() == Value::Kind::integer) {
    std::int64_t result = 0;
    bool overflow = false;
    switch (node.op) {
      case Op::add:
        overflow = __builtin_add_overflow(a.as_int(), b.as_int(), &result);
        break;
      case Op::sub:
        overflow = __builtin_sub_overflow(a.as_int(), b.as_int(), &result);
        break;
      default:
        overflow = __builtin_mul_overflow(a.as_int(), b.as_int(), &result);
        break;
    }
    if (overflow) {
      ev.fail(node, "integer overflow in " + std::string(symbol(node.op)));
    }
    return Value::integer(result);
  }
  const double x = a.as_real();
  const double y = b.as_real();
  switch (node.op) {
    case Op::add:
      return checked_real(ev, node, x + y);
    case Op::sub:
      return checked_real(ev, node, x - y);
    default:
      return checked_real(ev, node, x * y);
  }
}

Value concat(const Evaluator& ev, const Node& node, const Value& a, const Value& b) {
  const std::string_view x = a.as_string();
  const std::string_view y = b.as_string();
  if (x.size() + y.size() > max_built_string) {
    ev.fail(node, "string too long");
  }
  std::string s;
  s.reserve(x.size() + y.size());
  s.append(x).append(y);
  return Value::own(Json(std::move(s)));
}

Value divide(const Evaluator& ev, const Node& node, const Value& a, const Value& b) {
  if (!a.is_number() || !b.is_number()) {
    ev.fail(node, "'/' expects two numbers" + got(a, b));
  }
  if (b.as_real() == 0.0) {
    ev.fail(node, "division by zero");
  }
  return checked_real(ev, node, a.as_real() / b.as_real());
}

Value modulo(const Evaluator& ev, const Node& node, const Value& a, const Value& b) {
  if (a.kind() != Value::Kind::integer || b.kind() != Value::Kind::integer) {
    auto name = [](const Value& v) {
      return v.kind() == Value::Kind::real ? std::string("real") : std::string(type_name(v));
    };
    ev.fail(node, "'%' expects two integers, got " + name(a) + " and " + name(b));
  }
  if (b.as_int() == 0) {
    ev.fail(node, "modulo by zero");
  }
  // INT64_MIN % -1 overflows in C++ although the answer is 0.
  if (b.as_int() == -1) {
    return Value::integer(0);
  }
  return Value::integer(a.as_int() % b.as_int());
}

Value order(const Evaluator& ev, const Node& node, const Value& a, const Value& b) {
  std::partial_ordering o = std::partial_ordering::unordered;
  if (a.is_number() && b.is_number()) {
    o = compare_numbers(a, b);
  } else if (a.is_string() && b.is_string()) {
    o = a.as_string().compare(b.as_string()) <=> 0;
  } else {
    ev.fail(node, std::string(symbol(node.op)) + " cannot compare " + std::string(type_name(a)) +
                      " and " + std::string(type_name(b)));
  }
  switch (node.op) {
    case Op::lt:
      return Value::boolean(o < 0);
    case Op::le:
      return Value::boolean(o <= 0);
    case Op::gt:
      return Value::boolean(o > 0);
    default:
      return Value::boolean(o >= 0);
  }
}

}  // namespace

std::string_view type_name(const Value& v) noexcept {
  switch (v.kind()) {
    case Value::Kind::null:
      return "null";
    case Value::Kind::boolean:
      return "boolean";
    case Value::Kind::integer:
    case Value::Kind::real:
      return "number";
    case Value::Kind::json:
      break;
  }
  switch (v.json().type()) {
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    default:
      return "binary";
  }
}

std::partial_ordering compare_numbers(const Value& a, const Value& b) noexcept {
  const bool a_int = a.kind() == Value::Kind::integer;
  const bool b_int = b.kind() == Value::Kind::integer;
  if (a_int && b_int) {
    return a.as_int() <=> b.as_int();
  }
  if (a_int) {
    return int_vs_real(a.as_int(), b.as_real());
  }
  if (b_int) {
    return reverse(int_vs_real(b.as_int(), a.as_real()));
  }
  return a.as_real() <=> b.as_real();
}

bool values_equal(const Value& a, const Value& b) noexcept {
  if (a.is_number() && b.is_number()) {
    return compare_numbers(a, b) == 0;
  }
  if (a.kind() != b.kind()) {
    return false;
  }
  switch (a.kind()) {
    case Value::Kind::null:
      return true;
    case Value::Kind::boolean:
      return a.as_bool() == b.as_bool();
    case Value::Kind::json:
      if (a.is_string() && b.is_string()) {
        return a.as_string() == b.as_string();
      }
      // nlohmann compares containers deeply, numbers by value across integer and real.
      return a.json() == b.json();
    default:
      return false;
  }
}

bool contains(const Evaluator& ev, const Node& at, const Value& haystack, const Value& needle,
              std::string_view what) {
  if (haystack.is_array()) {
    for (const Json& element : haystack.json()) {
      if (values_equal(needle, Value::borrow(element))) {
        return true;
      }
    }
    return false;
  }
  if (haystack.is_string() || haystack.is_object()) {
    if (!needle.is_string()) {
      ev.fail(at, std::string(what) + " looks for a string in a " +
                      std::string(type_name(haystack)) + ", got " + std::string(type_name(needle)));
    }
    if (haystack.is_string()) {
      return haystack.as_string().find(needle.as_string()) != std::string_view::npos;
    }
    const auto& object = haystack.json().get_ref<const Json::object_t&>();
    return object.find(needle.as_string()) != object.end();
  }
  ev.fail(at, std::string(what) + " looks in an array, string or object, got " +
                  std::string(type_name(haystack)));
}

Value checked_real(const Evaluator& ev, const Node& at, double d) {
  if (!std::isfinite(d)) {
    ev.fail(at, "number overflow (result is not finite)");
  }
  return Value::real(d);
}

Value apply_unary(const Evaluator& ev, const Node& node, const Value& operand) {
  if (node.op == Op::logical_not) {
    return Value::boolean(!operand.truthy());
  }
  if (operand.kind() == Value::Kind::integer) {
    if (operand.as_int() == std::numeric_limits<std::int64_t>::min()) {
      ev.fail(node, "integer overflow in '-'");
    }
    return Value::integer(-operand.as_int());
  }
  if (operand.kind() == Value::Kind::real) {
    return Value::real(-operand.as_real());
  }
  ev.fail(node, "'-' expects a number, got " + std::string(type_name(operand)));
}

Value apply_binary(const Evaluator& ev, const Node& node, const Value& lhs, const Value& rhs) {
  switch (node.op) {
    case Op::add:
      if (lhs.is_string() && rhs.is_string()) {
        return concat(ev, node, lhs, rhs);
      }
      return arithmetic(ev, node, lhs, rhs);
    case Op::sub:
    case Op::mul:
      return arithmetic(ev, node, lhs, rhs);
    case Op::div:
      return divide(ev, node, lhs, rhs);
    case Op::mod:
      return modulo(ev, node, lhs, rhs);
    case Op::eq:
      return Value::boolean(values_equal(lhs, rhs));
    case Op::ne:
      return Value::boolean(!values_equal(lhs, rhs));
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
      return order(ev, node, lhs, rhs);
    case Op::in:
      return Value::boolean(contains(ev, node, rhs, lhs, "'in'"));
    case Op::logical_not:
    case Op::negate:
      break;
  }
  ev.fail(node, "not a binary operator");
}

}  // namespace lg::detail
