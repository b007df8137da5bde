#include "zen/zen_operators.hpp"

#include "zen/zen_functions.hpp"

#include <fmt/format.h>

namespace lg::zen {
namespace {

Value checked(const std::optional<Decimal>& r) {
  if (!r) {
    throw CallError("number overflow");
  }
  return Value::number(*r);
}

std::string_view describe(BinaryOp op) {
  switch (op) {
    case BinaryOp::add:
      return "'+'";
    case BinaryOp::sub:
      return "'-'";
    case BinaryOp::mul:
      return "'*'";
    case BinaryOp::div:
      return "'/'";
    case BinaryOp::mod:
      return "'%'";
    case BinaryOp::pow:
      return "'^'";
    default:
      return "a comparison";
  }
}

}  // namespace

bool contains(const Value& a, const Value& b) {
  if (b.is_array()) {
    for (const auto& e : b.as_array()) {
      if (equal(a, e)) {
        return true;
      }
    }
    return false;
  }
  if (b.is_interval()) {
    const Interval& iv = b.as_interval();
    if (a.is_number() && iv.low.is_number()) {
      const auto lo = a.as_number().compare(iv.low.as_number());
      const auto hi = a.as_number().compare(iv.high.as_number());
      return (iv.low_open ? lo > 0 : lo >= 0) && (iv.high_open ? hi < 0 : hi <= 0);
    }
    if (a.is_date() && iv.low.is_date() && a.as_date().valid) {
      const std::int64_t x = a.as_date().ms;
      const std::int64_t lo = iv.low.as_date().ms;
      const std::int64_t hi = iv.high.as_date().ms;
      return (iv.low_open ? x > lo : x >= lo) && (iv.high_open ? x < hi : x <= hi);
    }
  }
  if (b.is_object() && a.is_string()) {
    return b.as_object().contains(a.as_string());
  }
  throw CallError(fmt::format("'in' cannot look for {} in {}", a.type_name(), b.type_name()));
}

Value apply(BinaryOp op, const Value& a, const Value& b) {
  switch (op) {
    case BinaryOp::eq:
      return Value::boolean(equal(a, b));
    case BinaryOp::ne:
      return Value::boolean(!equal(a, b));
    case BinaryOp::in:
      return Value::boolean(contains(a, b));
    case BinaryOp::not_in:
      return Value::boolean(!contains(a, b));
    case BinaryOp::add:
      if (a.is_string() && b.is_string()) {
        return Value::string(a.as_string() + b.as_string());
      }
      break;
    default:
      break;
  }
  if (a.is_date() && b.is_date() && op >= BinaryOp::lt && op <= BinaryOp::ge) {
    const Date& x = a.as_date();
    const Date& y = b.as_date();
    if (!x.valid || !y.valid) {
      throw CallError("cannot compare an invalid date");
    }
    switch (op) {
      case BinaryOp::lt:
        return Value::boolean(x.ms < y.ms);
      case BinaryOp::le:
        return Value::boolean(x.ms <= y.ms);
      case BinaryOp::gt:
        return Value::boolean(x.ms > y.ms);
      default:
        return Value::boolean(x.ms >= y.ms);
    }
  }
  if (!a.is_number() || !b.is_number()) {
    throw CallError(
        fmt::format("{} needs numbers, not {} and {}", describe(op), a.type_name(), b.type_name()));
  }
  const Decimal& x = a.as_number();
  const Decimal& y = b.as_number();
  std::optional<Decimal> r;
  switch (op) {
    case BinaryOp::lt:
      return Value::boolean(x.compare(y) < 0);
    case BinaryOp::le:
      return Value::boolean(x.compare(y) <= 0);
    case BinaryOp::gt:
      return Value::boolean(x.compare(y) > 0);
    case BinaryOp::ge:
      return Value::boolean(x.compare(y) >= 0);
    case BinaryOp::add:
      r = x.add(y);
      break;
    case BinaryOp::sub:
      r = x.sub(y);
      break;
    case BinaryOp::mul:
      r = x.mul(y);
      break;
    case BinaryOp::div:
      return y.is_zero() ? Value() : checked(x.div(y));
    case BinaryOp::mod:
      return y.is_zero() ? Value() : checked(x.rem(y));
    case BinaryOp::pow:
      r = x.pow(y);
      break;
    default:
      break;
  }
  return checked(r);
}

}  // namespace lg::zen
