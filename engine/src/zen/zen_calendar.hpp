#pragma once

// Proleptic Gregorian calendar arithmetic on days since 1970-01-01, for ZEN's date functions.

#include <array>
#include <cstdint>
#include <string_view>

namespace lg::zen {

using i64 = std::int64_t;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard Hinnant's algorithms).
inline i64 days_from_civil(i64 y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const i64 era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<i64>(doe) - 719468;
}

struct Civil {
  i64 year;
  unsigned month;
  unsigned day;
};

inline Civil civil_from_days(i64 z) noexcept {
  z += 719468;
  const i64 era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<i64>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

inline i64 floor_div(i64 a, i64 b) noexcept {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

/// 1 for Monday to 7 for Sunday.
inline unsigned iso_weekday(i64 days) noexcept {
  return static_cast<unsigned>((days % 7 + 7 + 3) % 7) + 1;  // 1970-01-01 was a Thursday
}

struct IsoWeek {
  i64 year;
  i64 week;
};

/// ISO 8601's week of a day: the week holding its year's first Thursday is week 1.
inline IsoWeek iso_week(i64 days) noexcept {
  const i64 thursday = days - iso_weekday(days) + 4;
  const i64 year = civil_from_days(thursday).year;
  return {year, (thursday - days_from_civil(year, 1, 1)) / 7 + 1};
}

inline constexpr std::array<std::string_view, 12> month_names = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
/// Monday first, as iso_weekday() counts.
inline constexpr std::array<std::string_view, 7> weekday_names = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

inline bool is_leap_year(i64 y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

inline unsigned days_in_month(i64 y, unsigned m) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

}  // namespace lg::zen
