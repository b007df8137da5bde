#include "zen/zen_local_time.hpp"

#include <date/tz.h>

#include <chrono>

namespace lg::zen {
namespace {

constexpr i64 day_ms = 86'400'000;

i64 offset_at(const date::time_zone* zone, i64 ms) {
  if (zone == nullptr) {
    return 0;
  }
  const date::sys_seconds at{std::chrono::seconds(floor_div(ms, 1000))};
  return zone->get_info(at).offset.count();
}

}  // namespace

LocalTime local_of(const Date& d) {
  LocalTime t;
  t.offset_s = offset_at(d.zone, d.ms);
  const i64 local = d.ms + t.offset_s * 1000;
  t.days = floor_div(local, day_ms);
  t.ms_of_day = local - t.days * day_ms;
  const Civil c = civil_from_days(t.days);
  t.year = c.year;
  t.month = c.month;
  t.day = c.day;
  return t;
}

Date from_local(i64 local_ms, const date::time_zone* zone) {
  if (zone == nullptr) {
    return Date{true, local_ms, nullptr};
  }
  const date::local_seconds at{std::chrono::seconds(floor_div(local_ms, 1000))};
  const date::local_info info = zone->get_info(at);
  if (info.result == date::local_info::nonexistent) {
    return Date{};
  }
  return Date{true, local_ms - info.first.offset.count() * 1000, zone};
}

Date from_fields(i64 year, i64 month, i64 day, i64 ms_of_day, const date::time_zone* zone) {
  if (year < -9999 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, static_cast<unsigned>(month)) || ms_of_day < 0 ||
      ms_of_day >= day_ms) {
    return Date{};
  }
  const i64 days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return from_local(days * day_ms + ms_of_day, zone);
}

Date start_of(const Date& d, DateUnit unit) {
  if (!d.valid) {
    return d;
  }
  const LocalTime t = local_of(d);
  const i64 local_day = t.days * day_ms;
  switch (unit) {
    case DateUnit::second:
      return from_local(local_day + t.ms_of_day / 1000 * 1000, d.zone);
    case DateUnit::minute:
      return from_local(local_day + t.ms_of_day / 60'000 * 60'000, d.zone);
    case DateUnit::hour:
      return from_local(local_day + t.ms_of_day / 3'600'000 * 3'600'000, d.zone);
    case DateUnit::day:
      return from_local(local_day, d.zone);
    case DateUnit::week:
      return from_local((t.days - (iso_weekday(t.days) - 1)) * day_ms, d.zone);
    case DateUnit::month:
      return from_fields(t.year, t.month, 1, 0, d.zone);
    case DateUnit::quarter:
      return from_fields(t.year, (t.month - 1) / 3 * 3 + 1, 1, 0, d.zone);
    case DateUnit::year:
      return from_fields(t.year, 1, 1, 0, d.zone);
  }
  return d;
}

Date end_of(const Date& d, DateUnit unit) {
  if (!d.valid) {
    return d;
  }
  const LocalTime t = local_of(d);
  const i64 local_day = t.days * day_ms;
  const i64 last = day_ms - 1;
  switch (unit) {
    case DateUnit::second:
      return from_local(local_day + t.ms_of_day / 1000 * 1000 + 999, d.zone);
    case DateUnit::minute:
      return from_local(local_day + t.ms_of_day / 60'000 * 60'000 + 59'999, d.zone);
    case DateUnit::hour:
      return from_local(local_day + t.ms_of_day / 3'600'000 * 3'600'000 + 3'599'999, d.zone);
    case DateUnit::day:
      return from_local(local_day + last, d.zone);
    case DateUnit::week:
      return from_local((t.days + (7 - iso_weekday(t.days))) * day_ms + last, d.zone);
    case DateUnit::month:
      return from_fields(t.year, t.month, days_in_month(t.year, t.month), last, d.zone);
    case DateUnit::quarter: {
      const unsigned m = (t.month - 1) / 3 * 3 + 3;
      return from_fields(t.year, m, days_in_month(t.year, m), last, d.zone);
    }
    case DateUnit::year:
      return from_fields(t.year, 12, 31, last, d.zone);
  }
  return d;
}

Date add_months(const Date& d, i64 months) {
  if (!d.valid || months > 240'000 || months < -240'000) {
    return Date{};
  }
  const LocalTime t = local_of(d);
  const i64 index = t.year * 12 + (t.month - 1) + months;
  const i64 year = floor_div(index, 12);
  const auto month = static_cast<unsigned>(index - year * 12 + 1);
  const i64 day = std::min<i64>(t.day, days_in_month(year, month));
  return from_fields(year, month, day, t.ms_of_day, d.zone);
}

Date add_years(const Date& d, i64 years) {
  if (!d.valid || years > 20'000 || years < -20'000) {
    return Date{};
  }
  const LocalTime t = local_of(d);
  return from_fields(t.year + years, t.month, t.day, t.ms_of_day, d.zone);
}

}  // namespace lg::zen
