#include "zen/zen_dates.hpp"

#include "zen/zen_calendar.hpp"
#include "zen/zen_date.hpp"
#include "zen/zen_functions.hpp"
#include "zen/zen_local_time.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstdint>

namespace lg::zen {
namespace {

[[noreturn]] void bad_date(std::string_view fn, std::string_view text) {
  throw CallError(fmt::format("{}(): '{}' is not a date", fn, text));
}

bool read_int(std::string_view s, std::size_t& i, std::size_t digits, int& out) {
  if (i + digits > s.size()) {
    return false;
  }
  const auto r = std::from_chars(s.data() + i, s.data() + i + digits, out);
  if (r.ec != std::errc() || r.ptr != s.data() + i + digits) {
    return false;
  }
  i += digits;
  return true;
}

// `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM[:SS[.fff]]`, then `Z` or `±HH:MM`.
std::optional<i64> parse_instant(std::string_view s) {
  std::size_t i = 0;
  int y = 0;
  int mo = 0;
  int d = 0;
  if (!read_int(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !read_int(s, i, 2, mo) ||
      i >= s.size() || s[i++] != '-' || !read_int(s, i, 2, d) || mo < 1 || mo > 12 || d < 1 ||
      d > 31) {
    return std::nullopt;
  }
  int h = 0;
  int mi = 0;
  int sec = 0;
  i64 offset = 0;
  if (i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
    ++i;
    if (!read_int(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !read_int(s, i, 2, mi)) {
      return std::nullopt;
    }
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_int(s, i, 2, sec)) {
        return std::nullopt;
      }
      if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          ++i;
        }
      }
    }
    if (i < s.size() && s[i] == 'Z') {
      ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      const i64 sign = s[i++] == '-' ? -1 : 1;
      int oh = 0;
      int om = 0;
      if (!read_int(s, i, 2, oh)) {
        return std::nullopt;
      }
      if (i < s.size() && s[i] == ':') {
        ++i;
      }
      if (i < s.size() && !read_int(s, i, 2, om)) {
        return std::nullopt;
      }
      offset = sign * (oh * 3600 + om * 60);
    }
  }
  if (i != s.size() || h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + sec - offset;
}

i64 instant_arg(const DateArgs& a, std::string_view fn) {
  if (a[0].is_number()) {
    constexpr i64 most = max_date_ms / 1000;
    const auto s = a[0].as_number().rounded(0, Decimal::Rounding::floor).to_int64();
    if (!s || *s < -most || *s > most) {
      throw CallError(fmt::format("{}(): the number is out of range", fn));
    }
    return *s;
  }
  if (!a[0].is_string()) {
    throw CallError(
        fmt::format("{}(): takes a date string or Unix seconds, not {}", fn, a[0].type_name()));
  }
  if (a[0].as_string() == "now") {  // ZEN's legacy functions read the (pinnable) clock so
    const i64 ms = now_ms();
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  }
  const auto t = parse_instant(a[0].as_string());
  if (!t) {
    bad_date(fn, a[0].as_string());
  }
  return *t;
}

Value num(i64 v) {
  return Value::number(Decimal::from_int(v));
}

struct Fields {
  Civil date;
  i64 days;     // since the epoch
  i64 seconds;  // of the day
};

Fields fields(i64 t) {
  const i64 days = floor_div(t, 86400);
  return {civil_from_days(days), days, t - days * 86400};
}

// The units legacy startOf()/endOf() take, by the names they take them by.
DateUnit legacy_unit(const DateArgs& a, std::string_view fn) {
  constexpr std::pair<std::string_view, DateUnit> units[] = {
      {"s", DateUnit::second},      {"second", DateUnit::second}, {"m", DateUnit::minute},
      {"minute", DateUnit::minute}, {"h", DateUnit::hour},        {"hour", DateUnit::hour},
      {"d", DateUnit::day},         {"day", DateUnit::day},       {"w", DateUnit::week},
      {"week", DateUnit::week},     {"M", DateUnit::month},       {"month", DateUnit::month},
      {"y", DateUnit::year},        {"year", DateUnit::year}};
  if (!a[1].is_string()) {
    throw CallError(fmt::format("{}(): the unit must be a string", fn));
  }
  for (const auto& [name, unit] : units) {
    if (name == a[1].as_string()) {
      return unit;
    }
  }
  throw CallError(fmt::format("{}(): unknown unit '{}'", fn, a[1].as_string()));
}

// An instant of the legacy functions (Unix seconds, UTC) as a date, and back.
Date utc_date(i64 seconds) {
  return Date{true, seconds * 1000, nullptr};
}
i64 seconds_of(const Date& d, std::string_view fn) {
  if (!d.valid) {  // a month or year start beyond year 9999
    throw CallError(fmt::format("{}(): the date is out of range", fn));
  }
  return floor_div(d.ms, 1000);
}

}  // namespace

Value f_date(const DateArgs& a) {
  return num(instant_arg(a, "date"));
}
Value f_time(const DateArgs& a) {
  return num(fields(instant_arg(a, "time")).seconds);
}
Value f_year(const DateArgs& a) {
  return num(fields(instant_arg(a, "year")).date.year);
}
Value f_month_of_year(const DateArgs& a) {
  return num(fields(instant_arg(a, "monthOfYear")).date.month);
}
Value f_month_string(const DateArgs& a) {
  const unsigned month = fields(instant_arg(a, "monthString")).date.month;
  return Value::string(std::string(month_names[month - 1].substr(0, 3)));
}
Value f_day_of_month(const DateArgs& a) {
  return num(fields(instant_arg(a, "dayOfMonth")).date.day);
}
Value f_day_of_week(const DateArgs& a) {
  return num(iso_weekday(fields(instant_arg(a, "dayOfWeek")).days));
}
Value f_weekday_string(const DateArgs& a) {
  const unsigned weekday = iso_weekday(fields(instant_arg(a, "weekdayString")).days);
  return Value::string(std::string(weekday_names[weekday - 1].substr(0, 3)));
}
Value f_day_of_year(const DateArgs& a) {
  const Fields f = fields(instant_arg(a, "dayOfYear"));
  return num(f.days - days_from_civil(f.date.year, 1, 1) + 1);
}
Value f_week_of_year(const DateArgs& a) {
  return num(iso_week(fields(instant_arg(a, "weekOfYear")).days).week);
}
Value f_date_string(const DateArgs& a) {
  const Fields f = fields(instant_arg(a, "dateString"));
  return Value::string(fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", f.date.year, f.date.month,
                                   f.date.day, f.seconds / 3600, f.seconds / 60 % 60,
                                   f.seconds % 60));
}
Value f_start_of(const DateArgs& a) {
  const i64 t = instant_arg(a, "startOf");
  return num(seconds_of(start_of(utc_date(t), legacy_unit(a, "startOf")), "startOf"));
}
Value f_end_of(const DateArgs& a) {
  const i64 t = instant_arg(a, "endOf");
  return num(seconds_of(end_of(utc_date(t), legacy_unit(a, "endOf")), "endOf"));
}

Value f_duration(const DateArgs& a) {
  // Calendar units as humantime (which ZEN's duration() uses) counts them: 30.44 and 365.25 days.
  constexpr i64 month_s = 2'630'016;
  constexpr i64 year_s = 31'557'600;
  const auto span = a[0].is_string() ? parse_span(a[0].as_string()) : std::nullopt;
  if (!span) {
    throw CallError("duration(): takes a string such as '1h 30m'");
  }
  return num(span->ms / 1000 + span->months * month_s + span->years * year_s);
}

}  // namespace lg::zen
