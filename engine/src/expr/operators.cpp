#include "expr/operators.hpp"

#include <algorithm>
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
std::partial_ordering integer_vs_real(WideInt i, double d) noexcept {
  if (std::isnan(d)) {
    return std::partial_ordering::unordered;
  }
  constexpr double two_to_63 = 9223372036854775808.0;
  constexpr double two_to_64 = 18446744073709551616.0;
  if (d >= two_to_64) {
    return std::partial_ordering::less;
  }
  if (d < -two_to_63) {
    return std::partial_ordering::greater;
  }
  const double whole = std::trunc(d);
  const auto whole_int = static_cast<WideInt>(whole);  // exact: a whole number in range
  if (i != whole_int) {
    return i < whole_int ? std::partial_ordering::less : std::partial_ordering::greater;
  }
  return 0.0 <=> (d - whole);
}

// Integers of either kind exactly when both are integers (an "integer overflow" when the
// result leaves -2^63 .. 2^64 - 1), doubles when either is a real.
Value arithmetic(const Evaluator& ev, const Node& node, const Value& a, const Value& b) {
  if (!a.is_number() || !b.is_number()) {
    const std::string expects =
        node.op == Op::add ? " expects two numbers or two strings" : " expects two numbers";
    ev.fail(node, std::string(symbol(node.op)) + expects + got(a, b));
  }
  if (a.is_integer() && b.is_integer()) {
    const std::string_view what = symbol(node.op);
    switch (node.op) {
      case Op::add:
        return checked_integer(ev, node, wide(a) + wide(b), what);
      case Op::sub:
        return checked_integer(ev, node, wide(a) - wide(b), what);
      default: {
        WideInt product = 0;
        if (__builtin_mul_overflow(wide(a), wide(b), &product)) {
          ev.fail(node, "integer overflow in " + std::string(what));
        }
        return checked_integer(ev, node, product, what);
      }
    }
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
  if (!a.is_integer() || !b.is_integer()) {
    auto name = [](const Value& v) {
      return v.kind() == Value::Kind::real ? std::string("real") : std::string(type_name(v));
    };
    ev.fail(node, "'%' expects two integers, got " + name(a) + " and " + name(b));
  }
  if (wide(b) == 0) {
    ev.fail(node, "modulo by zero");
  }
  // Wide, so that INT64_MIN % -1 (which overflows in int64) is 0; the remainder is never
  // further from zero than `a`, so it always fits.
  return checked_integer(ev, node, wide(a) % wide(b), "'%'");
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

WideInt wide(const Value& v) noexcept {
  return v.kind() == Value::Kind::unsigned_integer ? static_cast<WideInt>(v.as_unsigned())
                                                   : static_cast<WideInt>(v.as_int());
}

Value checked_integer(const Evaluator& ev, const Node& at, WideInt w, std::string_view what) {
  if (w >= std::numeric_limits<std::int64_t>::min() &&
      w <= std::numeric_limits<std::int64_t>::max()) {
    return Value::integer(static_cast<std::int64_t>(w));
  }
  if (w > 0 && w <= std::numeric_limits<std::uint64_t>::max()) {
    return Value::unsigned_integer(static_cast<std::uint64_t>(w));
  }
  ev.fail(at, "integer overflow in " + std::string(what));
}

std::string_view type_name(const Value& v) noexcept {
  switch (v.kind()) {
    case Value::Kind::null:
      return "null";
    case Value::Kind::boolean:
      return "boolean";
    case Value::Kind::integer:
    case Value::Kind::unsigned_integer:
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
  const bool a_int = a.is_integer();
  const bool b_int = b.is_integer();
  if (a_int && b_int) {
    const WideInt x = wide(a);
    const WideInt y = wide(b);
    return x < y ? std::partial_ordering::less
                 : (x > y ? std::partial_ordering::greater : std::partial_ordering::equivalent);
  }
  if (a_int) {
    return integer_vs_real(wide(a), b.as_real());
  }
  if (b_int) {
    return reverse(integer_vs_real(wide(b), a.as_real()));
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
      break;
    default:
      return false;
  }
  const Json& x = a.json();
  const Json& y = b.json();
  if (x.type() != y.type()) {
    return false;
  }
  // Not nlohmann's ==, which compares an unsigned with a signed integer by casting it (so that
  // 2^64 - 1 equals -1) and integers with reals as doubles.
  const auto same = [](const Json& l, const Json& r) {
    return values_equal(Value::borrow(l), Value::borrow(r));
  };
  switch (x.type()) {
    case Json::value_t::string:
      return x.get_ref<const std::string&>() == y.get_ref<const std::string&>();
    case Json::value_t::array: {
      const auto& l = x.get_ref<const Json::array_t&>();
      const auto& r = y.get_ref<const Json::array_t&>();
      return std::equal(l.begin(), l.end(), r.begin(), r.end(), same);
    }
    case Json::value_t::object: {
      const auto& l = x.get_ref<const Json::object_t&>();
      const auto& r = y.get_ref<const Json::object_t&>();
      // Both maps are sorted by key: equal objects pair up in order.
      return std::equal(l.begin(), l.end(), r.begin(), r.end(), [&](const auto& p, const auto& q) {
        return p.first == q.first && same(p.second, q.second);
      });
    }
    default:
      return x == y;  // binary
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
  if (operand.is_integer()) {
    return checked_integer(ev, node, -wide(operand), "'-'");
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
