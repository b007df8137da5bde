#pragma once

// ZEN's date values, made by d(): an instant (milliseconds since the Unix epoch) seen in a time
// zone, or an invalid date. Calendar fields, units and formats are read in the value's zone,
// through the IANA database (Howard Hinnant's date library over the system's tzdata).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace lg::zen {

class Value;

/// The instants a date may hold, as in JavaScript: 10^8 days either side of 1970. Arithmetic
/// that leaves them gives an invalid date, never an overflow.
inline constexpr std::int64_t max_date_ms = 8'640'000'000'000'000;

struct Date {
  bool valid = false;
  std::int64_t ms = 0;                    // since 1970-01-01T00:00:00Z
  const date::time_zone* zone = nullptr;  // nullptr: UTC

  friend bool operator==(const Date& a, const Date& b) noexcept {
    return a.valid && b.valid && a.ms == b.ms;
  }
};

/// A calendar unit of ZEN's date methods.
enum class DateUnit : std::uint8_t { second, minute, hour, day, week, month, quarter, year };

/// A length of time as ZEN's dates add it: milliseconds, then calendar months and years.
struct Span {
  std::int64_t ms = 0;
  std::int64_t months = 0;
  std::int64_t years = 0;
};

/// Milliseconds in one `u` (second to week); 0 for the calendar units.
[[nodiscard]] std::int64_t unit_ms(DateUnit u) noexcept;
/// `n` of `u`.
[[nodiscard]] Span span_of(std::int64_t n, DateUnit u) noexcept;
/// "1d 5h", "2 weeks", "90m", "1M": whole numbers, each with a unit; nullopt otherwise.
[[nodiscard]] std::optional<Span> parse_span(std::string_view text);

/// `s`/`second(s)`/`sec(s)`, `m`/`min(s)`/`minute(s)`, `h`/`hr(s)`/`hour(s)`, `d`/`day(s)`,
/// `w`/`week(s)`, `M`/`mo`/`month(s)`, `q`/`qtr`/`quarter(s)`, `y`/`year(s)`.
[[nodiscard]] std::optional<DateUnit> date_unit(std::string_view name) noexcept;

/// A zone by IANA name; nullptr for UTC. nullopt when the name is unknown.
[[nodiscard]] std::optional<const date::time_zone*> find_zone(std::string_view name);
/// The zone of d() without one: the TZ environment variable's when it names a zone, else UTC.
[[nodiscard]] const date::time_zone* default_zone();
/// Now, or the instant of the environment variable __ZEN_MOCK_UTC_TIME (ISO-8601) when set.
[[nodiscard]] std::int64_t now_ms();

/// d(value[, zone]): a date from Unix milliseconds, from `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]]`
/// (any offset written is dropped: the local time is taken in `zone`, as ZEN does), from a
/// zone name (now, there), or a copy of a date. Anything else is an invalid date.
[[nodiscard]] Date make_date(const Value& v, const date::time_zone* zone);

/// ISO-8601 to the second with the zone's offset (`Z` for zero): ZEN's JSON of a date.
[[nodiscard]] std::string iso_text(const Date& d);

/// The method `name` of a date, with its arguments; throws CallError for an unknown method or
/// bad arguments.
[[nodiscard]] Value call_date_method(const Date& d, std::string_view name, const Value* args,
                                     std::size_t count);

}  // namespace lg::zen
