#include "expr/builtins.hpp"

#include "expr/evaluator.hpp"
#include "expr/operators.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>
#include <utility>

namespace lg::detail {

namespace {

using Json = nlohmann::json;

constexpr std::size_t variadic = std::numeric_limits<std::size_t>::max();

// In the order of the Builtin enum, so that builtin_info() is an index.
constexpr std::array<BuiltinInfo, 16> builtins{{
    {"len", Builtin::len, 1, 1},
    {"lower", Builtin::lower, 1, 1},
    {"upper", Builtin::upper, 1, 1},
    {"contains", Builtin::contains, 2, 2},
    {"starts_with", Builtin::starts_with, 2, 2},
    {"ends_with", Builtin::ends_with, 2, 2},
    {"min", Builtin::min, 1, variadic},
    {"max", Builtin::max, 1, variadic},
    {"abs", Builtin::abs, 1, 1},
    {"round", Builtin::round, 1, 1},
    {"floor", Builtin::floor, 1, 1},
    {"ceil", Builtin::ceil, 1, 1},
    {"sum", Builtin::sum, 1, 1},
    {"exists", Builtin::exists, 1, 1},
    {"str", Builtin::str, 1, 1},
    {"num", Builtin::num, 1, 1},
}};

constexpr bool table_matches_enum() {
  for (std::size_t i = 0; i < builtins.size(); ++i) {
    if (static_cast<std::size_t>(builtins[i].id) != i) {
      return false;
    }
  }
  return true;
}
static_assert(table_matches_enum());

std::string name_of(const Node& call) {
  return std::string(builtin_info(call.builtin).name);
}

[[noreturn]] void type_error(const Evaluator& ev, const Node& call, std::string_view expects,
                             const Value& got) {
  ev.fail(call, name_of(call) + " expects " + std::string(expects) + ", got " +
                    std::string(type_name(got)));
}

// Code points, not bytes, so that len('héllo') is 5.
std::int64_t utf8_length(std::string_view s) noexcept {
  std::int64_t n = 0;
  for (const char c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

Value length(const Evaluator& ev, const Node& call, const Value& v) {
  if (v.is_string()) {
    return Value::integer(utf8_length(v.as_string()));
  }
  if (v.is_array() || v.is_object()) {
    return Value::integer(static_cast<std::int64_t>(v.json().size()));
  }
  type_error(ev, call, "a string, array or object", v);
}

// ASCII only: locale-dependent case mapping would make results differ between machines.
Value change_case(const Evaluator& ev, const Node& call, const Value& v, bool upper) {
  if (!v.is_string()) {
    type_error(ev, call, "a string", v);
  }
  std::string s(v.as_string());
  for (char& c : s) {
    if (upper && c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    } else if (!upper && c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return Value::own(Json(std::move(s)));
}

Value affix(const Evaluator& ev, const Node& call, const Value& s, const Value& part) {
  if (!s.is_string() || !part.is_string()) {
    ev.fail(call, name_of(call) + " expects two strings, got " + std::string(type_name(s)) +
                      " and " + std::string(type_name(part)));
  }
  return Value::boolean(call.builtin == Builtin::starts_with
                            ? s.as_string().starts_with(part.as_string())
                            : s.as_string().ends_with(part.as_string()));
}

Value extreme(const Evaluator& ev, const Node& call) {
  const Program& program = ev.program();
  const bool want_max = call.builtin == Builtin::max;
  Value best;
  auto consider = [&](const Value& v, bool first) {
    if (!v.is_number()) {
      type_error(ev, call, "numbers or one array of numbers", v);
    }
    const auto o = compare_numbers(v, best);
    if (first || (want_max ? o > 0 : o < 0)) {
      best = v;
    }
  };
  if (call.count == 1) {
    const Value only = ev.eval(program.args[call.first]);
    if (!only.is_array()) {
      consider(only, true);
      return best;
    }
    if (only.json().empty()) {
      ev.fail(call, name_of(call) + " of an empty array");
    }
    bool first = true;
    for (const Json& element : only.json()) {
      consider(Value::borrow(element), first);
      first = false;
    }
    return best;  // a number, so it does not point into `only`
  }
  for (std::uint32_t i = 0; i < call.count; ++i) {
    consider(ev.eval(program.args[call.first + i]), i == 0);
  }
  return best;
}

Value absolute(const Evaluator& ev, const Node& call, const Value& v) {
  if (v.is_integer()) {
    const WideInt w = wide(v);
    return checked_integer(ev, call, w < 0 ? -w : w, "abs");  // abs(-2^63) is 2^63: it fits
  }
  if (v.kind() == Value::Kind::real) {
    return Value::real(std::fabs(v.as_real()));
  }
  type_error(ev, call, "a number", v);
}

Value to_integer(const Evaluator& ev, const Node& call, const Value& v) {
  if (v.is_integer()) {
    return v;
  }
  if (v.kind() != Value::Kind::real) {
    type_error(ev, call, "a number", v);
  }
  double r = v.as_real();
  switch (call.builtin) {
    case Builtin::round:
      r = std::round(r);  // halves away from zero
      break;
    case Builtin::floor:
      r = std::floor(r);
      break;
    default:
      r = std::ceil(r);
      break;
  }
  constexpr double two_to_63 = 9223372036854775808.0;
  constexpr double two_to_64 = 18446744073709551616.0;
  if (!(r >= -two_to_63 && r < two_to_64)) {  // also false for NaN
    ev.fail(call, name_of(call) + " result is out of integer range");
  }
  return r < two_to_63 ? Value::integer(static_cast<std::int64_t>(r))
                       : Value::unsigned_integer(static_cast<std::uint64_t>(r));
}

// Integers add up exactly, each partial sum checked as `+` checks it; from the first real on,
// the sum is a real.
Value total(const Evaluator& ev, const Node& call, const Value& v) {
  if (!v.is_array()) {
    type_error(ev, call, "an array of numbers", v);
  }
  Value int_sum = Value::integer(0);
  double real_sum = 0.0;
  bool is_real = false;
  for (const Json& element : v.json()) {
    const Value n = Value::borrow(element);
    if (!n.is_number()) {
      ev.fail(call, "sum expects an array of numbers, found " + std::string(type_name(n)));
    }
    if (!is_real && n.is_integer()) {
      int_sum = checked_integer(ev, call, wide(int_sum) + wide(n), "sum");
      continue;
    }
    if (!is_real) {
      is_real = true;
      real_sum = int_sum.as_real();
    }
    real_sum += n.as_real();
  }
  return is_real ? checked_real(ev, call, real_sum) : int_sum;
}

Value to_string(const Evaluator& ev, const Node& call, Value v) {
  if (v.is_string()) {
    return v;
  }
  // Invalid UTF-8 from the context is replaced rather than thrown from dump().
  std::string s = std::move(v).materialize().dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > max_built_string) {
    ev.fail(call, "string too long");
  }
  return Value::own(Json(std::move(s)));
}

Value parse_number(const Evaluator& ev, const Node& call, std::string_view text) {
  std::string_view s = text;
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && space(s.back())) {
    s.remove_suffix(1);
  }
  // from_chars takes '-' but not '+'.
  if (s.size() > 1 && s.front() == '+' && s[1] != '-') {
    s.remove_prefix(1);
  }
  const char* first = s.data();
  const char* last = s.data() + s.size();
  std::int64_t i = 0;
  const auto as_int = std::from_chars(first, last, i);
  if (!s.empty() && as_int.ec == std::errc() && as_int.ptr == last) {
    return Value::integer(i);
  }
  std::uint64_t u = 0;  // above INT64_MAX
  const auto as_unsigned = std::from_chars(first, last, u);
  if (!s.empty() && as_unsigned.ec == std::errc() && as_unsigned.ptr == last) {
    return Value::unsigned_integer(u);
  }
  double d = 0.0;
  const auto as_real = std::from_chars(first, last, d);
  if (!s.empty() && as_real.ec == std::errc() && as_real.ptr == last && std::isfinite(d)) {
    return Value::real(d);
  }
  constexpr std::size_t shown = 40;
  std::size_t cut = std::min(shown, text.size());
  // Never inside a UTF-8 character: a message with half of one is not text any more (a trace or
  // JSON output holding it could not be written).
  while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  const std::string quoted = std::string(text.substr(0, cut)) + (cut < text.size() ? "..." : "");
  ev.fail(call, "num cannot convert '" + quoted + "' to a number");
}

Value to_number(const Evaluator& ev, const Node& call, const Value& v) {
  if (v.is_number()) {
    return v;
  }
  if (v.kind() == Value::Kind::boolean) {
    return Value::integer(v.as_bool() ? 1 : 0);
  }
  if (v.is_string()) {
    return parse_number(ev, call, v.as_string());
  }
  type_error(ev, call, "a string, number or boolean", v);
}

}  // namespace

const BuiltinInfo* find_builtin(std::string_view name) noexcept {
  for (const BuiltinInfo& info : builtins) {
    if (info.name == name) {
      return &info;
    }
  }
  return nullptr;
}

const BuiltinInfo& builtin_info(Builtin id) noexcept {
  return builtins[static_cast<std::size_t>(id)];
}

Value call_builtin(const Evaluator& ev, const Node& call) {
  const Program& program = ev.program();
  const auto arg = [&](std::uint32_t i) { return ev.eval(program.args[call.first + i]); };
  switch (call.builtin) {
    case Builtin::len:
      return length(ev, call, arg(0));
    case Builtin::lower:
    case Builtin::upper:
      return change_case(ev, call, arg(0), call.builtin == Builtin::upper);
    case Builtin::contains: {
      const Value haystack = arg(0);
      return Value::boolean(contains(ev, call, haystack, arg(1), "contains"));
    }
    case Builtin::starts_with:
    case Builtin::ends_with: {
      const Value s = arg(0);
      return affix(ev, call, s, arg(1));
    }
    case Builtin::min:
    case Builtin::max:
      return extreme(ev, call);
    case Builtin::abs:
      return absolute(ev, call, arg(0));
    case Builtin::round:
    case Builtin::floor:
    case Builtin::ceil:
      return to_integer(ev, call, arg(0));
    case Builtin::sum:
      return total(ev, call, arg(0));
    case Builtin::exists:
      // The argument is a path (checked by the parser): present, even holding null, or not.
      return Value::boolean(ev.resolve(program.nodes[program.args[call.first]]) != nullptr);
    case Builtin::str:
      return to_string(ev, call, arg(0));
    case Builtin::num:
      return to_number(ev, call, arg(0));
  }
  ev.fail(call, "unknown function");
}

}  // namespace lg::detail
