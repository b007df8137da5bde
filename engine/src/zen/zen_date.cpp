#include "zen/zen_date.hpp"

#include <logic_graph/engine/expr/zen_expression.hpp>

#include "zen/zen_calendar.hpp"
#include "zen/zen_functions.hpp"
#include "zen/zen_local_time.hpp"
#include "zen/zen_value.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace lg::zen {
namespace {

constexpr std::pair<std::string_view, DateUnit> unit_names[] = {
    {"s", DateUnit::second},        {"sec", DateUnit::second},       {"secs", DateUnit::second},
    {"second", DateUnit::second},   {"seconds", DateUnit::second},   {"m", DateUnit::minute},
    {"min", DateUnit::minute},      {"mins", DateUnit::minute},      {"minute", DateUnit::minute},
    {"minutes", DateUnit::minute},  {"h", DateUnit::hour},           {"hr", DateUnit::hour},
    {"hrs", DateUnit::hour},        {"hour", DateUnit::hour},        {"hours", DateUnit::hour},
    {"d", DateUnit::day},           {"day", DateUnit::day},          {"days", DateUnit::day},
    {"w", DateUnit::week},          {"week", DateUnit::week},        {"weeks", DateUnit::week},
    {"M", DateUnit::month},         {"mo", DateUnit::month},         {"month", DateUnit::month},
    {"months", DateUnit::month},    {"q", DateUnit::quarter},        {"qtr", DateUnit::quarter},
    {"quarter", DateUnit::quarter}, {"quarters", DateUnit::quarter}, {"y", DateUnit::year},
    {"year", DateUnit::year},       {"years", DateUnit::year},
};

// `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM`, `:SS`, `.fff` and an offset
// (`Z`, `+HH:MM`), which is checked and dropped: the local time as written.
std::optional<i64> parse_local_ms(std::string_view s) {
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) {
      return false;
    }
    out = 0;
    for (std::size_t k = at; k < at + n; ++k) {
      if (s[k] < '0' || s[k] > '9') {
        return false;
      }
      out = out * 10 + (s[k] - '0');
    }
    return true;
  };
  int y = 0;
  int mo = 0;
  int d = 0;
  if (!digits(0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, mo)) {
    return std::nullopt;
  }
  int h = 0;
  int mi = 0;
  int sec = 0;
  int ms = 0;
  std::size_t i = 10;
  if (i < s.size()) {
    if ((s[i] != 'T' && s[i] != 't' && s[i] != ' ') || !digits(i + 1, 2, h) || i + 3 >= s.size() ||
        s[i + 3] != ':' || !digits(i + 4, 2, mi)) {
      return std::nullopt;
    }
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!digits(i + 1, 2, sec)) {
        return std::nullopt;
      }
      i += 3;
      if (i < s.size() && s[i] == '.') {
        int scale = 100;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
          ms += (s[i] - '0') * scale;
          scale /= 10;
        }
      }
    }
    if (i < s.size()) {
      int oh = 0;
      int om = 0;
      const bool zulu = (s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size();
      const bool offset = (s[i] == '+' || s[i] == '-') && i + 6 == s.size() &&
                          digits(i + 1, 2, oh) && s[i + 3] == ':' && digits(i + 4, 2, om);
      if (!zulu && !offset) {
        return std::nullopt;
      }
    }
  }
  if (h > 23 || mi > 59 || sec > 59) {
    return std::nullopt;
  }
  return (days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
          h * 3600 + mi * 60 + sec) *
             1000 +
         ms;
}

std::optional<i64> parse_instant_ms(std::string_view s) {
  // An instant written with its offset: local time minus the offset.
  const auto local = parse_local_ms(s);
  if (!local) {
    return std::nullopt;
  }
  if (s.size() > 6 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-')) {
    const int sign = s[s.size() - 6] == '-' ? -1 : 1;
    const int oh = (s[s.size() - 5] - '0') * 10 + (s[s.size() - 4] - '0');
    const int om = (s[s.size() - 2] - '0') * 10 + (s[s.size() - 1] - '0');
    return *local - sign * (oh * 3600 + om * 60) * i64{1000};
  }
  return local;
}

}  // namespace

std::optional<DateUnit> date_unit(std::string_view name) noexcept {
  for (const auto& [n, unit] : unit_names) {
    if (n == name) {
      return unit;
    }
  }
  return std::nullopt;
}

std::int64_t unit_ms(DateUnit u) noexcept {
  switch (u) {
    case DateUnit::second:
      return 1000;
    case DateUnit::minute:
      return 60'000;
    case DateUnit::hour:
      return 3'600'000;
    case DateUnit::day:
      return 86'400'000;
    case DateUnit::week:
      return 7 * 86'400'000LL;
    default:
      return 0;
  }
}

Span span_of(std::int64_t n, DateUnit u) noexcept {
  switch (u) {
    case DateUnit::month:
      return {0, n, 0};
    case DateUnit::quarter:
      return {0, n * 3, 0};
    case DateUnit::year:
      return {0, 0, n};
    default:
      return {n * unit_ms(u), 0, 0};
  }
}

std::optional<Span> parse_span(std::string_view s) {
  Span out;
  std::size_t i = 0;
  bool any = false;
  while (i < s.size()) {
    if (s[i] == ' ') {
      ++i;
      continue;
    }
    std::int64_t n = 0;
    std::size_t j = i;
    for (; j < s.size() && s[j] >= '0' && s[j] <= '9' && n < 1'000'000'000; ++j) {
      n = n * 10 + (s[j] - '0');
    }
    const std::size_t digits_end = j;
    while (j < s.size() && s[j] == ' ') {  // "2 weeks" as well as "2weeks"
      ++j;
    }
    std::size_t k = j;
    while (k < s.size() && s[k] != ' ' && (s[k] < '0' || s[k] > '9')) {
      ++k;
    }
    const auto u = date_unit(s.substr(j, k - j));
    j = digits_end;
    if (j == i || !u) {
      return std::nullopt;
    }
    const Span part = span_of(n, *u);
    out.ms += part.ms;
    out.months += part.months;
    out.years += part.years;
    // Parts are below 10^9 units each; bounding the sums keeps every later step in range.
    if (out.ms > (std::int64_t{1} << 60) || out.months > 1'000'000'000 ||
        out.years > 1'000'000'000) {
      return std::nullopt;
    }
    i = k;
    any = true;
  }
  if (!any) {
    return std::nullopt;
  }
  return out;
}

std::optional<const date::time_zone*> find_zone(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC" || name == "Z") {
    return nullptr;
  }
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

namespace {

// The default zone once chosen: the TZ environment variable's, unless set_default_time_zone()
// said otherwise.
std::atomic<const date::time_zone*>& chosen_zone() {
  static std::atomic<const date::time_zone*> zone = [] {
    const char* tz = std::getenv("TZ");
    const auto z = tz != nullptr ? find_zone(tz) : std::nullopt;
    return z ? *z : nullptr;
  }();
  return zone;
}

constexpr i64 not_pinned = INT64_MIN;

std::atomic<i64>& pinned_ms() {
  static std::atomic<i64> pinned = [] {
    const char* mock = std::getenv("__ZEN_MOCK_UTC_TIME");
    const auto at = mock != nullptr ? parse_instant_ms(mock) : std::nullopt;
    return at.value_or(not_pinned);
  }();
  return pinned;
}

}  // namespace

const date::time_zone* default_zone() {
  return chosen_zone().load(std::memory_order_relaxed);
}

std::int64_t now_ms() {
  const i64 pinned = pinned_ms().load(std::memory_order_relaxed);
  if (pinned != not_pinned) {
    return pinned;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void pin_now(std::optional<std::chrono::system_clock::time_point> instant) noexcept {
  pinned_ms().store(
      instant ? std::chrono::duration_cast<std::chrono::milliseconds>(instant->time_since_epoch())
                    .count()
              : not_pinned,
      std::memory_order_relaxed);
}

void set_default_time_zone(std::string_view name) {
  const auto zone = find_zone(name);
  if (!zone) {
    throw std::invalid_argument(fmt::format("unknown time zone '{}'", name));
  }
  chosen_zone().store(*zone, std::memory_order_relaxed);
}

std::optional<std::chrono::system_clock::time_point> parse_instant(std::string_view text) {
  const auto ms = parse_instant_ms(text);
  if (!ms) {
    return std::nullopt;
  }
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms));
}

Date make_date(const Value& v, const date::time_zone* zone) {
  switch (v.kind()) {
    case Value::Kind::date:
      return v.as_date();
    case Value::Kind::number: {
      const auto ms = v.as_number().rounded(0, Decimal::Rounding::toward_zero).to_int64();
      return ms && *ms >= -max_date_ms && *ms <= max_date_ms ? Date{true, *ms, zone} : Date{};
    }
    case Value::Kind::string: {
      const std::string& s = v.as_string();
      if (const auto local = parse_local_ms(s)) {
        return from_local(*local, zone);
      }
      if (const auto named = find_zone(s)) {
        return Date{true, now_ms(), *named};
      }
      return Date{};
    }
    default:
      return Date{};
  }
}

std::string iso_text(const Date& d) {
  if (!d.valid) {
    return "Invalid date";
  }
  const LocalTime t = local_of(d);
  const i64 s = floor_div(t.ms_of_day, 1000);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year, t.month, t.day,
                                s / 3600, s / 60 % 60, s % 60);
  if (t.offset_s == 0) {
    out += 'Z';
  } else {
    const i64 off = t.offset_s < 0 ? -t.offset_s : t.offset_s;
    out += fmt::format("{}{:02}:{:02}", t.offset_s < 0 ? '-' : '+', off / 3600, off / 60 % 60);
  }
  return out;
}

}  // namespace lg::zen
