#pragma once

// ZEN's expression cases: a CSV file, `;`-separated, of `expression;input;output` with JSON5
// input and output, a header line and `#` comment lines (ZEN's core/expression/tests/data).

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace lg::test {

struct ZenCase {
  std::size_t line = 0;
  std::string expression;
  nlohmann::json input;  // an object (empty when the field is)
  nlohmann::json expected;
};

/// The cases of `text`. As ZEN's own runner reads the file (Rust's csv crate): a field opening
/// with `"` is quoted (`""` inside is one quote), a record without exactly three fields is
/// skipped, as is one whose expression starts with `#`. Throws std::invalid_argument naming
/// the line of unreadable JSON5.
[[nodiscard]] std::vector<ZenCase> read_zen_cases(std::string_view text);

/// Whether `actual` is `expected` the way ZEN's runner compares serde_json values: numbers by
/// value (1 and 1.0 alike), the rest structurally.
[[nodiscard]] bool zen_equal(const nlohmann::json& actual, const nlohmann::json& expected);

}  // namespace lg::test
