#include "zen/zen_functions.hpp"

#include "zen/zen_arguments.hpp"
#include "zen/zen_collections.hpp"
#include "zen/zen_dates.hpp"
#include "zen/zen_strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

namespace lg::zen {
namespace {

std::vector<Decimal> numbers_of(const Args& a, std::string_view fn) {
  std::vector<Decimal> out;
  for (const auto& v : array_arg(a, 0, fn)) {
    if (!v.is_number()) {
      bad(fn, fmt::format("the array must hold numbers, not {}", v.type_name()));
    }
    out.push_back(v.as_number());
  }
  return out;
}
Value checked(std::optional<Decimal> d, std::string_view fn) {
  if (!d) {
    bad(fn, "number overflow");
  }
  return Value::number(*d);
}
Decimal total(const std::vector<Decimal>& xs, std::string_view fn) {
  Decimal sum;
  for (const auto& x : xs) {
    const auto next = sum.add(x);
    if (!next) {
      bad(fn, "number overflow");
    }
    sum = *next;
  }
  return sum;
}
int places_arg(const Args& a, std::string_view fn) {
  if (a.size() < 2) {
    return 0;
  }
  const auto p = number_arg(a, 1, fn).to_int64();
  if (!p || *p < 0 || *p > Decimal::max_scale) {
    bad(fn, "the number of places must be a whole number from 0 to 28");
  }
  return static_cast<int>(*p);
}

Value f_abs(const Args& a) {
  return Value::number(number_arg(a, 0, "abs").abs());
}
Value f_floor(const Args& a) {
  return Value::number(number_arg(a, 0, "floor").rounded(0, Decimal::Rounding::floor));
}
Value f_ceil(const Args& a) {
  return Value::number(number_arg(a, 0, "ceil").rounded(0, Decimal::Rounding::ceil));
}
Value f_round(const Args& a) {
  return Value::number(
      number_arg(a, 0, "round").rounded(places_arg(a, "round"), Decimal::Rounding::half_away));
}
Value f_trunc(const Args& a) {
  return Value::number(
      number_arg(a, 0, "trunc").rounded(places_arg(a, "trunc"), Decimal::Rounding::toward_zero));
}
Value f_sum(const Args& a) {
  return Value::number(total(numbers_of(a, "sum"), "sum"));
}
Value f_avg(const Args& a) {
  constexpr std::string_view fn = "avg";
  const auto xs = numbers_of(a, fn);
  if (xs.empty()) {
    bad(fn, "the array is empty");
  }
  return checked(total(xs, "avg").div(Decimal::from_uint(xs.size())), "avg");
}
Value extreme(const Args& a, std::string_view fn, bool want_max) {
  const Array& items = array_arg(a, 0, fn);
  if (!items.empty() && items.front().is_date()) {
    const Value* best = &items.front();
    for (const auto& v : items) {
      if (!v.is_date() || !v.as_date().valid) {
        bad(fn, "the array must hold valid dates, or numbers");
      }
      if (want_max ? v.as_date().ms > best->as_date().ms : v.as_date().ms < best->as_date().ms) {
        best = &v;
      }
    }
    return *best;
  }
  const auto xs = numbers_of(a, fn);
  if (xs.empty()) {
    bad(fn, "the array is empty");
  }
  Decimal best = xs.front();
  for (const auto& x : xs) {
    const auto c = x.compare(best);
    if (want_max ? c > 0 : c < 0) {
      best = x;
    }
  }
  return Value::number(best);
}
Value f_min(const Args& a) {
  return extreme(a, "min", false);
}
Value f_max(const Args& a) {
  return extreme(a, "max", true);
}
Value f_median(const Args& a) {
  constexpr std::string_view fn = "median";
  auto xs = numbers_of(a, fn);
  if (xs.empty()) {
    bad(fn, "the array is empty");
  }
  std::sort(xs.begin(), xs.end(),
            [](const Decimal& x, const Decimal& y) { return x.compare(y) < 0; });
  const std::size_t mid = xs.size() / 2;
  if (xs.size() % 2 == 1) {
    return Value::number(xs[mid]);
  }
  return checked(xs[mid - 1].add(xs[mid]).value_or(Decimal()).div(Decimal::from_int(2)), "median");
}
Value f_mode(const Args& a) {
  constexpr std::string_view fn = "mode";
  auto xs = numbers_of(a, fn);
  if (xs.empty()) {
    bad(fn, "the array is empty");
  }
  // As ZEN: the most frequent value, the largest of those tied.
  std::sort(xs.begin(), xs.end(),
            [](const Decimal& x, const Decimal& y) { return x.compare(y) < 0; });
  std::size_t best = 0;
  std::size_t best_count = 0;
  for (std::size_t i = 0; i < xs.size();) {
    std::size_t j = i;
    while (j < xs.size() && xs[j] == xs[i]) {
      ++j;
    }
    if (j - i >= best_count) {
      best = i;
      best_count = j - i;
    }
    i = j;
  }
  return Value::number(xs[best]);
}
Value f_rand(const Args& a) {
  const auto limit = number_arg(a, 0, "rand").to_int64();
  if (!limit || *limit < 0) {
    bad("rand", "the limit must be a whole number of at least 0");
  }
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> pick(0, *limit);
  return Value::number(Decimal::from_int(pick(engine)));
}

Value f_d(const Args& a) {
  const date::time_zone* zone = default_zone();
  if (a.size() == 2) {
    const auto named = find_zone(string_arg(a, 1, "d"));
    if (!named) {
      bad("d", fmt::format("unknown time zone '{}'", a[1].as_string()));
    }
    zone = *named;
  }
  if (a.empty()) {
    return Value::date(Date{true, now_ms(), zone});
  }
  return Value::date(make_date(a[0], zone));
}

Value f_len(const Args& a) {
  if (a[0].is_string()) {  // bytes, as ZEN counts them
    return Value::number(Decimal::from_uint(a[0].as_string().size()));
  }
  if (a[0].is_array()) {
    return Value::number(Decimal::from_uint(a[0].as_array().size()));
  }
  bad("len", fmt::format("takes a string or an array, not {}", a[0].type_name()));
}

Value f_contains(const Args& a) {
  if (a[0].is_string()) {
    return Value::boolean(a[0].as_string().find(string_arg(a, 1, "contains")) != std::string::npos);
  }
  if (a[0].is_array()) {
    const auto& arr = a[0].as_array();
    return Value::boolean(
        std::any_of(arr.begin(), arr.end(), [&](const Value& v) { return equal(v, a[1]); }));
  }
  bad("contains", fmt::format("takes a string or an array, not {}", a[0].type_name()));
}
Value f_number(const Args& a) {
  switch (a[0].kind()) {
    case Value::Kind::number:
      return a[0];
    case Value::Kind::boolean:
      return Value::number(Decimal::from_int(a[0].as_bool() ? 1 : 0));
    case Value::Kind::string:
      if (const auto d = Decimal::parse(trimmed(a[0].as_string()))) {
        return Value::number(*d);
      }
      bad("number", fmt::format("'{}' is not a number", a[0].as_string()));
    default:
      bad("number", fmt::format("cannot convert {} to a number", a[0].type_name()));
  }
}
Value f_string(const Args& a) {
  return a[0].is_string() ? a[0] : Value::string(to_text(a[0]));
}
Value f_bool(const Args& a) {
  switch (a[0].kind()) {
    case Value::Kind::null:
      return Value::boolean(false);
    case Value::Kind::boolean:
      return a[0];
    case Value::Kind::number:
      return Value::boolean(!a[0].as_number().is_zero());
    case Value::Kind::string: {
      // As ZEN: 'true' and 'false' (trimmed) by name, any other string only when empty.
      const std::string_view s = trimmed(a[0].as_string());
      return Value::boolean(s == "true" || (s != "false" && a[0].as_string().empty()));
    }
    default:
      return Value::boolean(true);
  }
}

Value f_is_numeric(const Args& a) {
  if (a[0].is_number()) {
    return Value::boolean(true);
  }
  return Value::boolean(a[0].is_string() && Decimal::parse(trimmed(a[0].as_string())).has_value());
}
Value f_type(const Args& a) {
  return Value::string(std::string(a[0].type_name()));
}
Value f_upper(const Args& a) {
  return Value::string(upper_ascii(string_arg(a, 0, "upper")));
}
Value f_lower(const Args& a) {
  return Value::string(lower_ascii(string_arg(a, 0, "lower")));
}
Value f_trim(const Args& a) {
  return Value::string(std::string(trimmed(string_arg(a, 0, "trim"))));
}
Value f_starts_with(const Args& a) {
  return Value::boolean(
      std::string_view(string_arg(a, 0, "startsWith")).starts_with(string_arg(a, 1, "startsWith")));
}
Value f_ends_with(const Args& a) {
  return Value::boolean(
      std::string_view(string_arg(a, 0, "endsWith")).ends_with(string_arg(a, 1, "endsWith")));
}
Value f_split(const Args& a) {
  Array out;
  for (auto& part : split(string_arg(a, 0, "split"), string_arg(a, 1, "split"))) {
    out.push_back(Value::string(std::move(part)));
  }
  return Value::array(std::move(out));
}
Value f_matches(const Args& a) {
  return Value::boolean(regex_matches(string_arg(a, 0, "matches"), string_arg(a, 1, "matches")));
}
Value f_extract(const Args& a) {
  Array out;
  for (auto& s : regex_extract(string_arg(a, 0, "extract"), string_arg(a, 1, "extract"))) {
    out.push_back(Value::string(std::move(s)));
  }
  return Value::array(std::move(out));
}
Value f_fuzzy_match(const Args& a) {
  const std::string& pattern = string_arg(a, 1, "fuzzyMatch");
  // The table is length x length: longer strings would take minutes, not microseconds.
  constexpr std::size_t longest = 4096;
  const auto score = [&](const Value& v) {
    if (!v.is_string()) {
      bad("fuzzyMatch", "compares strings");
    }
    if (v.as_string().size() > longest || pattern.size() > longest) {
      bad("fuzzyMatch", fmt::format("compares strings of at most {} bytes", longest));
    }
    // ZEN's similarity is binary floating point, converted to decimal at about 15 digits.
    const double d = similarity(v.as_string(), pattern);
    return Value::number(Decimal::parse(fmt::format("{:.15g}", d)).value_or(Decimal()));
  };
  if (a[0].is_array()) {
    Array out;
    for (const auto& v : a[0].as_array()) {
      out.push_back(score(v));
    }
    return Value::array(std::move(out));
  }
  return score(a[0]);
}

using U = UnaryUse;
constexpr std::array<Function, 48> functions = {{
    {"abs", 1, 1, U::equal, f_abs},
    {"avg", 1, 1, U::equal, f_avg},
    {"bool", 1, 1, U::equal, f_bool},
    {"ceil", 1, 1, U::equal, f_ceil},
    {"contains", 2, 2, U::boolean, f_contains},
    {"d", 0, 2, U::equal, f_d},
    {"date", 1, 1, U::equal, f_date},
    {"dateString", 1, 1, U::equal, f_date_string},
    {"dayOfMonth", 1, 1, U::equal, f_day_of_month},
    {"dayOfWeek", 1, 1, U::equal, f_day_of_week},
    {"dayOfYear", 1, 1, U::equal, f_day_of_year},
    {"duration", 1, 1, U::equal, f_duration},
    {"endOf", 2, 2, U::equal, f_end_of},
    {"endsWith", 2, 2, U::boolean, f_ends_with},
    {"extract", 2, 2, U::in, f_extract},
    {"flatten", 1, 1, U::in, f_flatten},
    {"floor", 1, 1, U::equal, f_floor},
    {"fuzzyMatch", 2, 2, U::equal, f_fuzzy_match},
    {"isNumeric", 1, 1, U::boolean, f_is_numeric},
    {"keys", 1, 1, U::in, f_keys},
    {"len", 1, 1, U::equal, f_len},
    {"lower", 1, 1, U::equal, f_lower},
    {"matches", 2, 2, U::boolean, f_matches},
    {"max", 1, 1, U::equal, f_max},
    {"median", 1, 1, U::equal, f_median},
    {"merge", 1, 1, U::in, f_merge},
    {"mergeDeep", 1, 1, U::in, f_merge_deep},
    {"min", 1, 1, U::equal, f_min},
    {"mode", 1, 1, U::equal, f_mode},
    {"monthOfYear", 1, 1, U::equal, f_month_of_year},
    {"monthString", 1, 1, U::equal, f_month_string},
    {"number", 1, 1, U::equal, f_number},
    {"rand", 1, 1, U::equal, f_rand},
    {"round", 1, 2, U::equal, f_round},
    {"split", 2, 2, U::in, f_split},
    {"startOf", 2, 2, U::equal, f_start_of},
    {"startsWith", 2, 2, U::boolean, f_starts_with},
    {"string", 1, 1, U::equal, f_string},
    {"sum", 1, 1, U::equal, f_sum},
    {"time", 1, 1, U::equal, f_time},
    {"trim", 1, 1, U::equal, f_trim},
    {"trunc", 1, 2, U::equal, f_trunc},
    {"type", 1, 1, U::equal, f_type},
    {"upper", 1, 1, U::equal, f_upper},
    {"values", 1, 1, U::in, f_values},
    {"weekOfYear", 1, 1, U::equal, f_week_of_year},
    {"weekdayString", 1, 1, U::equal, f_weekday_string},
    {"year", 1, 1, U::equal, f_year},
}};

constexpr std::array<std::pair<std::string_view, ClosureKind>, 8> closures = {{
    {"map", ClosureKind::map},
    {"filter", ClosureKind::filter},
    {"some", ClosureKind::some},
    {"all", ClosureKind::all},
    {"none", ClosureKind::none},
    {"one", ClosureKind::one},
    {"count", ClosureKind::count},
    {"flatMap", ClosureKind::flat_map},
}};

}  // namespace

std::optional<std::uint16_t> find_function(std::string_view name) noexcept {
  for (std::size_t i = 0; i < functions.size(); ++i) {
    if (functions[i].name == name) {
      return static_cast<std::uint16_t>(i);
    }
  }
  return std::nullopt;
}

const Function& function_at(std::uint16_t index) noexcept {
  return functions[index];
}

std::optional<ClosureKind> find_closure(std::string_view name) noexcept {
  for (const auto& [n, kind] : closures) {
    if (n == name) {
      return kind;
    }
  }
  return std::nullopt;
}

}  // namespace lg::zen
