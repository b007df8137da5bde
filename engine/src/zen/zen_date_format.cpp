#include "zen/zen_date_format.hpp"

#include "zen/zen_local_time.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <array>

namespace lg::zen {
namespace {

std::string abbreviation(const Date& d) {
  if (d.zone == nullptr) {
    return "UTC";
  }
  const date::sys_seconds at{std::chrono::seconds(floor_div(d.ms, 1000))};
  return d.zone->get_info(at).abbrev;
}

std::string offset_text(i64 offset_s, bool colon) {
  const i64 off = offset_s < 0 ? -offset_s : offset_s;
  return fmt::format("{}{:02}{}{:02}", offset_s < 0 ? '-' : '+', off / 3600, colon ? ":" : "",
                     off / 60 % 60);
}

}  // namespace

std::string format_date(const Date& d, std::string_view p) {
  const LocalTime t = local_of(d);
  const i64 secs = t.ms_of_day / 1000;
  const i64 hour = secs / 3600;
  const i64 minute = secs / 60 % 60;
  const i64 second = secs % 60;
  const i64 ms = t.ms_of_day % 1000;
  const unsigned wd = iso_weekday(t.days);
  const i64 yday = t.days - days_from_civil(t.year, 1, 1);  // 0-based
  const i64 hour12 = hour % 12 == 0 ? 12 : hour % 12;
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '%' || i + 1 >= p.size()) {
      out += p[i];
      continue;
    }
    std::string_view spec = p.substr(i + 1, 1);
    for (const std::string_view longer : {".3f", ".6f", ".9f", ".f", ":z", "3f", "6f", "9f"}) {
      if (p.substr(i + 1, longer.size()) == longer) {
        spec = longer;
        break;
      }
    }
    i += spec.size();
    const char c = spec.size() == 1 ? spec[0] : '\0';
    if (spec == ".3f" || spec == ".f") {
      out += fmt::format(".{:03}", ms);
    } else if (spec == ".6f") {
      out += fmt::format(".{:06}", ms * 1000);
    } else if (spec == ".9f") {
      out += fmt::format(".{:09}", ms * 1'000'000);
    } else if (spec == "3f") {
      out += fmt::format("{:03}", ms);
    } else if (spec == "6f") {
      out += fmt::format("{:06}", ms * 1000);
    } else if (spec == "9f" || c == 'f') {
      out += fmt::format("{:09}", ms * 1'000'000);
    } else if (spec == ":z") {
      out += offset_text(t.offset_s, true);
    } else {
      switch (c) {
        case 'Y':
          out += fmt::format("{:04}", t.year);
          break;
        case 'y':
          out += fmt::format("{:02}", (t.year % 100 + 100) % 100);
          break;
        case 'C':
          out += fmt::format("{:02}", floor_div(t.year, 100));
          break;
        case 'm':
          out += fmt::format("{:02}", t.month);
          break;
        case 'b':
        case 'h':
          out += month_names[t.month - 1].substr(0, 3);
          break;
        case 'B':
          out += month_names[t.month - 1];
          break;
        case 'd':
          out += fmt::format("{:02}", t.day);
          break;
        case 'e':
          out += fmt::format("{:2}", t.day);
          break;
        case 'a':
          out += weekday_names[wd - 1].substr(0, 3);
          break;
        case 'A':
          out += weekday_names[wd - 1];
          break;
        case 'u':
          out += fmt::format("{}", wd);
          break;
        case 'w':
          out += fmt::format("{}", wd % 7);
          break;
        case 'j':
          out += fmt::format("{:03}", yday + 1);
          break;
        case 'U':
          out += fmt::format("{:02}", (yday + 7 - static_cast<i64>(wd % 7)) / 7);
          break;
        case 'W':
          out += fmt::format("{:02}", (yday + 7 - static_cast<i64>(wd - 1)) / 7);
          break;
        case 'V':
          out += fmt::format("{:02}", iso_week(t.days).week);
          break;
        case 'G':
          out += fmt::format("{:04}", iso_week(t.days).year);
          break;
        case 'H':
          out += fmt::format("{:02}", hour);
          break;
        case 'k':
          out += fmt::format("{:2}", hour);
          break;
        case 'I':
          out += fmt::format("{:02}", hour12);
          break;
        case 'l':
          out += fmt::format("{:2}", hour12);
          break;
        case 'p':
          out += hour < 12 ? "AM" : "PM";
          break;
        case 'P':
          out += hour < 12 ? "am" : "pm";
          break;
        case 'M':
          out += fmt::format("{:02}", minute);
          break;
        case 'S':
          out += fmt::format("{:02}", second);
          break;
        case 'Z':
          out += abbreviation(d);
          break;
        case 'z':
          out += offset_text(t.offset_s, false);
          break;
        case 's':
          out += fmt::format("{}", floor_div(d.ms, 1000));
          break;
        case 'F':
          out += format_date(d, "%Y-%m-%d");
          break;
        case 'D':
        case 'x':
          out += format_date(d, "%m/%d/%y");
          break;
        case 'T':
        case 'X':
          out += format_date(d, "%H:%M:%S");
          break;
        case 'R':
          out += format_date(d, "%H:%M");
          break;
        case 'r':
          out += format_date(d, "%I:%M:%S %p");
          break;
        case 'c':
          out += format_date(d, "%a %b %e %H:%M:%S %Y");
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case '%':
          out += '%';
          break;
        default:
          out += '%';
          out += spec;
      }
    }
  }
  return out;
}

}  // namespace lg::zen
