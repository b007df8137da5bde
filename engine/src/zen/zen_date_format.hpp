#pragma once

#include "zen/zen_date.hpp"

#include <string>
#include <string_view>

namespace lg::zen {

/// A valid date written with strftime-style specifiers as ZEN's format() (Rust's chrono) reads
/// them: %Y %y %C %m %b %B %h %d %e %a %A %u %w %j %U %W %V %G %H %k %I %l %p %P %M %S %f %.f
/// %.3f %.6f %.9f %3f %6f %9f %Z %z %:z %s %F %D %T %R %r %c %x %X %n %t %%; an unknown
/// specifier is written as it is.
[[nodiscard]] std::string format_date(const Date& d, std::string_view pattern);

}  // namespace lg::zen
