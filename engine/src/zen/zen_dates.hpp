#pragma once

// ZEN's date functions of the standard library (date(), time(), duration(), year(), ...):
// instants are Unix seconds, read from numbers or from ISO-8601 text; calendar fields are
// taken in UTC.

#include "zen/zen_value.hpp"

#include <vector>

namespace lg::zen {

using DateArgs = std::vector<Value>;

Value f_date(const DateArgs& a);
Value f_time(const DateArgs& a);
Value f_duration(const DateArgs& a);
Value f_year(const DateArgs& a);
Value f_month_of_year(const DateArgs& a);
Value f_month_string(const DateArgs& a);
Value f_day_of_month(const DateArgs& a);
Value f_day_of_week(const DateArgs& a);
Value f_day_of_year(const DateArgs& a);
Value f_week_of_year(const DateArgs& a);
Value f_weekday_string(const DateArgs& a);
Value f_date_string(const DateArgs& a);
Value f_start_of(const DateArgs& a);
Value f_end_of(const DateArgs& a);

}  // namespace lg::zen
