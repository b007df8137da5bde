#pragma once

// A date's wall-clock reading in its zone, and the calendar arithmetic of ZEN's date methods
// done on it: start and end of a unit, adding months, setting a field.

#include "zen/zen_calendar.hpp"
#include "zen/zen_date.hpp"

#include <optional>

namespace lg::zen {

struct LocalTime {
  i64 year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  i64 days = 0;       // local days since 1970-01-01
  i64 ms_of_day = 0;  // 0 to 86'399'999
  i64 offset_s = 0;   // the zone's offset from UTC at that instant
};

[[nodiscard]] LocalTime local_of(const Date& d);
/// The date whose local reading in `zone` is `local_ms` (ms since local 1970-01-01); the
/// earlier one of two in a repeated hour; invalid in a skipped hour.
[[nodiscard]] Date from_local(i64 local_ms, const date::time_zone* zone);
/// From local fields; invalid when a field is out of range (a 30 February).
[[nodiscard]] Date from_fields(i64 year, i64 month, i64 day, i64 ms_of_day,
                               const date::time_zone* zone);

[[nodiscard]] Date start_of(const Date& d, DateUnit unit);
/// The last millisecond of the unit.
[[nodiscard]] Date end_of(const Date& d, DateUnit unit);
/// `months` calendar months later (earlier when negative), the day clamped to the month's end.
[[nodiscard]] Date add_months(const Date& d, i64 months);
/// The same local time `years` later; invalid on a 29 February that the year lacks.
[[nodiscard]] Date add_years(const Date& d, i64 years);

}  // namespace lg::zen
