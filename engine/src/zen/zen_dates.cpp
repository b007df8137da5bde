#include "zen/zen_dates.hpp"

#include "zen/zen_calendar.hpp"
#include "zen/zen_date.hpp"
#include "zen/zen_functions.hpp"

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

constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> weekdays = {"Mon", "Tue", "Wed", "Thu",
                                                      "Fri", "Sat", "Sun"};

i64 start_of(i64 t, std::string_view unit, std::string_view fn) {
  const Fields f = fields(t);
  if (unit == "s" || unit == "second") {
    return t;
  }
  if (unit == "m" || unit == "minute") {
    return t - f.seconds % 60;
  }
  if (unit == "h" || unit == "hour") {
    return t - f.seconds % 3600;
  }
  if (unit == "d" || unit == "day") {
    return f.days * 86400;
  }
  if (unit == "w" || unit == "week") {
    return (f.days - (iso_weekday(f.days) - 1)) * 86400;
  }
  if (unit == "M" || unit == "month") {
    return days_from_civil(f.date.year, f.date.month, 1) * 86400;
  }
  if (unit == "y" || unit == "year") {
    return days_from_civil(f.date.year, 1, 1) * 86400;
  }
  throw CallError(fmt::format("{}(): unknown unit '{}'", fn, unit));
}

i64 next_start(i64 start, std::string_view unit) {
  const Fields f = fields(start);
  if (unit == "M" || unit == "month") {
    return f.date.month == 12 ? days_from_civil(f.date.year + 1, 1, 1) * 86400
                              : days_from_civil(f.date.year, f.date.month + 1, 1) * 86400;
  }
  if (unit == "y" || unit == "year") {
    return days_from_civil(f.date.year + 1, 1, 1) * 86400;
  }
  const i64 len = unit == "s" || unit == "second"   ? 1
                  : unit == "m" || unit == "minute" ? 60
                  : unit == "h" || unit == "hour"   ? 3600
                  : unit == "d" || unit == "day"    ? 86400
                                                    : 7 * 86400;
  return start + len;
}

const std::string& unit_arg(const DateArgs& a, std::string_view fn) {
  if (!a[1].is_string()) {
    throw CallError(fmt::format("{}(): the unit must be a string", fn));
  }
  return a[1].as_string();
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
  return Value::string(std::string(months[fields(instant_arg(a, "monthString")).date.month - 1]));
}
Value f_day_of_month(const DateArgs& a) {
  return num(fields(instant_arg(a, "dayOfMonth")).date.day);
}
Value f_day_of_week(const DateArgs& a) {
  return num(iso_weekday(fields(instant_arg(a, "dayOfWeek")).days));
}
Value f_weekday_string(const DateArgs& a) {
  return Value::string(
      std::string(weekdays[iso_weekday(fields(instant_arg(a, "weekdayString")).days) - 1]));
}
Value f_day_of_year(const DateArgs& a) {
  const Fields f = fields(instant_arg(a, "dayOfYear"));
  return num(f.days - days_from_civil(f.date.year, 1, 1) + 1);
}
Value f_week_of_year(const DateArgs& a) {
  // ISO 8601: the week with the year's first Thursday is week 1.
  const Fields f = fields(instant_arg(a, "weekOfYear"));
  const i64 thursday = f.days - iso_weekday(f.days) + 4;
  const Civil c = civil_from_days(thursday);
  return num((thursday - days_from_civil(c.year, 1, 1)) / 7 + 1);
}
Value f_date_string(const DateArgs& a) {
  const Fields f = fields(instant_arg(a, "dateString"));
  return Value::string(fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", f.date.year, f.date.month,
                                   f.date.day, f.seconds / 3600, f.seconds / 60 % 60,
                                   f.seconds % 60));
}
Value f_start_of(const DateArgs& a) {
  return num(start_of(instant_arg(a, "startOf"), unit_arg(a, "startOf"), "startOf"));
}
Value f_end_of(const DateArgs& a) {
  const auto& unit = unit_arg(a, "endOf");
  return num(next_start(start_of(instant_arg(a, "endOf"), unit, "endOf"), unit) - 1);
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
