// The methods of ZEN's date values: d('2023-10-15').add(1, 'd').isBefore(d()), and the rest.

#include "zen/zen_arguments.hpp"
#include "zen/zen_date.hpp"
#include "zen/zen_date_format.hpp"
#include "zen/zen_functions.hpp"
#include "zen/zen_local_time.hpp"
#include "zen/zen_value.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <cmath>

namespace lg::zen {
namespace {

DateUnit unit_arg(const Value* args, std::size_t i, std::string_view method) {
  const auto u = args[i].is_string() ? date_unit(args[i].as_string()) : std::nullopt;
  if (!u) {
    bad(method, fmt::format("argument {} must be a unit such as 'day' or 'M'", i + 1));
  }
  return *u;
}

Date shifted(const Date& d, const Span& s, int sign) {
  if (!d.valid) {
    return d;
  }
  // |d.ms| <= max_date_ms and |s.ms| <= 2^60 (parse_span, amount_span): the sum fits.
  Date r{true, d.ms + sign * s.ms, d.zone};
  if (r.ms < -max_date_ms || r.ms > max_date_ms) {
    return Date{};
  }
  r = s.months != 0 ? add_months(r, sign * s.months) : r;
  return s.years != 0 ? add_years(r, sign * s.years) : r;
}

// `n` of `u`: fractions of the time units (1.5 hours), whole calendar units; nullopt beyond
// any date's range.
std::optional<Span> amount_span(const Decimal& n, DateUnit u) {
  constexpr std::int64_t most = std::int64_t{1} << 60;
  const std::int64_t per = unit_ms(u);
  if (per != 0) {
    const auto ms = n.mul(Decimal::from_int(per));
    const auto whole =
        ms ? ms->rounded(0, Decimal::Rounding::toward_zero).to_int64() : std::nullopt;
    return whole && *whole >= -most && *whole <= most ? std::optional<Span>(Span{*whole, 0, 0})
                                                      : std::nullopt;
  }
  const auto whole = n.to_int64();
  if (!whole || *whole > 1'000'000'000 || *whole < -1'000'000'000) {
    return std::nullopt;
  }
  return span_of(*whole, u);
}

Date other_date(const Date& self, const Value* args, std::size_t i) {
  return make_date(args[i], self.zone);
}

// Whole calendar months from a to b, with the fraction of the month around b's anchor.
double month_diff(const Date& a, const Date& b) {
  const LocalTime ta = local_of(a);
  const LocalTime tb = local_of(b);
  if (ta.day < tb.day) {
    return -month_diff(b, a);
  }
  const i64 whole = (tb.year - ta.year) * 12 + (static_cast<i64>(tb.month) - ta.month);
  const Date anchor = add_months(a, whole);
  const bool before = b.ms - anchor.ms < 0;
  const Date anchor2 = add_months(a, whole + (before ? -1 : 1));
  const double span = static_cast<double>(before ? anchor.ms - anchor2.ms : anchor2.ms - anchor.ms);
  const double fraction = span != 0 ? static_cast<double>(b.ms - anchor.ms) / span : 0.0;
  return -(static_cast<double>(whole) + fraction);
}

Value diff(const Date& a, const Date& b, std::optional<DateUnit> unit) {
  const i64 diff_ms = a.ms - b.ms;
  if (!unit) {
    return Value::number(Decimal::from_int(diff_ms));
  }
  const i64 zone_delta = (local_of(b).offset_s - local_of(a).offset_s) * 1000;
  double r = 0;
  switch (*unit) {
    case DateUnit::year:
      r = month_diff(a, b) / 12.0;
      break;
    case DateUnit::quarter:
      r = month_diff(a, b) / 3.0;
      break;
    case DateUnit::month:
      r = month_diff(a, b);
      break;
    case DateUnit::week:
    case DateUnit::day:
      r = static_cast<double>(diff_ms - zone_delta) / static_cast<double>(unit_ms(*unit));
      break;
    default:
      r = static_cast<double>(diff_ms) / static_cast<double>(unit_ms(*unit));
      break;
  }
  return Value::number(Decimal::from_int(static_cast<i64>(std::trunc(r))));
}

bool same(const Date& a, const Date& b, std::optional<DateUnit> unit) {
  if (!unit) {
    return a.ms == b.ms;
  }
  return start_of(a, *unit).ms <= b.ms && b.ms <= end_of(a, *unit).ms;
}
bool before(const Date& a, const Date& b, std::optional<DateUnit> unit) {
  return unit ? end_of(a, *unit).ms < b.ms : a.ms < b.ms;
}
bool after(const Date& a, const Date& b, std::optional<DateUnit> unit) {
  return unit ? b.ms < start_of(a, *unit).ms : a.ms > b.ms;
}

Value number(i64 v) {
  return Value::number(Decimal::from_int(v));
}

}  // namespace

Value call_date_method(const Date& d, std::string_view name, const Value* args, std::size_t count) {
  const auto need = [&](std::size_t lo, std::size_t hi) {
    if (count < lo || count > hi) {
      bad(name, lo == hi ? fmt::format("takes {} argument(s), not {}", lo, count)
                         : fmt::format("takes {} to {} arguments, not {}", lo, hi, count));
    }
  };
  const auto opt_unit = [&](std::size_t i) {
    return count > i ? std::optional<DateUnit>(unit_arg(args, i, name)) : std::nullopt;
  };
  if (name == "isValid") {
    need(0, 0);
    return Value::boolean(d.valid);
  }
  if (name == "add" || name == "sub") {
    need(1, 2);
    Span s;
    if (count == 1 && args[0].is_string()) {
      const auto parsed = parse_span(args[0].as_string());
      if (!parsed) {
        bad(name, fmt::format("'{}' is not a duration such as '1d 5h'", args[0].as_string()));
      }
      s = *parsed;
    } else {
      if (!args[0].is_number() || count != 2) {
        bad(name, "takes a duration such as '1d 5h', or a number and a unit");
      }
      const auto amount = amount_span(args[0].as_number(), unit_arg(args, 1, name));
      if (!amount) {
        return Value::date(Date{});
      }
      s = *amount;
    }
    return Value::date(shifted(d, s, name == "add" ? 1 : -1));
  }
  if (name == "tz") {
    need(1, 1);
    const auto zone = args[0].is_string() ? find_zone(args[0].as_string()) : std::nullopt;
    if (!zone) {
      bad(name, "the argument must name a time zone such as 'Europe/Berlin'");
    }
    return Value::date(Date{d.valid, d.ms, *zone});
  }
  if (name == "startOf" || name == "endOf") {
    need(1, 1);
    const DateUnit u = unit_arg(args, 0, name);
    return Value::date(name == "startOf" ? start_of(d, u) : end_of(d, u));
  }
  if (name == "format") {
    need(0, 1);
    if (count == 1 && !args[0].is_string()) {
      bad(name, "the format must be a string");
    }
    return Value::string(
        d.valid ? format_date(d, count == 1 ? args[0].as_string() : "%Y-%m-%d %H:%M:%S %Z")
                : "Invalid date");
  }
  const bool compares = name == "isSame" || name == "isBefore" || name == "isAfter" ||
                        name == "isSameOrBefore" || name == "isSameOrAfter" || name == "diff";
  if (compares) {
    need(1, 2);
    const Date other = other_date(d, args, 0);
    const auto unit = opt_unit(1);
    if (!d.valid || !other.valid) {
      return name == "diff" ? Value() : Value::boolean(false);
    }
    if (name == "diff") {
      return diff(d, other, unit);
    }
    const bool s = same(d, other, unit);
    if (name == "isSame") {
      return Value::boolean(s);
    }
    if (name == "isBefore" || name == "isSameOrBefore") {
      return Value::boolean(before(d, other, unit) || (name == "isSameOrBefore" && s));
    }
    return Value::boolean(after(d, other, unit) || (name == "isSameOrAfter" && s));
  }
  if (name == "isToday" || name == "isYesterday" || name == "isTomorrow") {
    need(0, 0);
    const i64 shift = name == "isToday" ? 0 : name == "isYesterday" ? -1 : 1;
    const Date today = shifted(Date{true, now_ms(), d.zone}, Span{shift * 86'400'000}, 1);
    return Value::boolean(d.valid && same(today, d, DateUnit::day));
  }
  if (name == "set") {
    need(2, 2);
    const DateUnit u = unit_arg(args, 0, name);
    const auto v = args[1].is_number() ? args[1].as_number().to_int64() : std::nullopt;
    if (!v) {
      bad(name, "the value must be a whole number");
    }
    if (!d.valid) {
      return Value::date(d);
    }
    const LocalTime t = local_of(d);
    i64 h = t.ms_of_day / 3'600'000;
    i64 m = t.ms_of_day / 60'000 % 60;
    i64 s = t.ms_of_day / 1000 % 60;
    const i64 ms = t.ms_of_day % 1000;
    i64 year = t.year;
    i64 month = t.month;
    i64 day = t.day;
    switch (u) {
      case DateUnit::second:
        s = *v;
        break;
      case DateUnit::minute:
        m = *v;
        break;
      case DateUnit::hour:
        h = *v;
        break;
      case DateUnit::day:
        day = *v;
        break;
      case DateUnit::month:
        month = *v;
        break;
      case DateUnit::year:
        year = *v;
        break;
      default:
        return Value::date(d);
    }
    if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) {
      return Value::date(Date{});
    }
    return Value::date(from_fields(year, month, day, ((h * 60 + m) * 60 + s) * 1000 + ms, d.zone));
  }
  need(0, 0);
  if (name == "offsetName") {
    return Value::string(d.zone == nullptr ? "UTC" : std::string(d.zone->name()));
  }
  if (name == "timestamp") {
    return d.valid ? number(d.ms) : Value();
  }
  if (!d.valid) {
    return Value();
  }
  const LocalTime t = local_of(d);
  if (name == "year") {
    return number(t.year);
  }
  if (name == "month") {
    return number(t.month);
  }
  if (name == "day") {
    return number(t.day);
  }
  if (name == "weekday") {
    return number(iso_weekday(t.days));
  }
  if (name == "hour") {
    return number(t.ms_of_day / 3'600'000);
  }
  if (name == "minute") {
    return number(t.ms_of_day / 60'000 % 60);
  }
  if (name == "second") {
    return number(t.ms_of_day / 1000 % 60);
  }
  if (name == "dayOfYear") {
    return number(t.days - days_from_civil(t.year, 1, 1) + 1);
  }
  if (name == "quarter") {
    return number((t.month - 1) / 3 + 1);
  }
  if (name == "week") {
    return number(iso_week(t.days).week);
  }
  if (name == "isLeapYear") {
    return Value::boolean(is_leap_year(t.year));
  }
  throw CallError(fmt::format("dates have no method '{}'", name));
}

}  // namespace lg::zen
