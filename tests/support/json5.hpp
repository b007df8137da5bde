#pragma once

// A JSON5 reader, as far as ZEN's expression cases use it: unquoted keys, single-quoted
// strings, trailing commas, comments, a leading '+' or '.' on numbers.

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string_view>

namespace lg::test {

/// The value of `text`; throws std::invalid_argument naming the offset of a syntax error.
[[nodiscard]] nlohmann::json parse_json5(std::string_view text);

}  // namespace lg::test
