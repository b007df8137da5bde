#pragma once

// String helpers of ZEN's functions and of string conversion.

#include "zen/zen_value.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lg::zen {

[[nodiscard]] std::size_t utf8_length(std::string_view s) noexcept;
/// The characters [from, to) of `s`, counted in code points and clamped to its length.
[[nodiscard]] std::string utf8_slice(std::string_view s, std::size_t from, std::size_t to);
[[nodiscard]] std::string_view trimmed(std::string_view s) noexcept;
[[nodiscard]] std::string upper_ascii(std::string_view s);
[[nodiscard]] std::string lower_ascii(std::string_view s);
[[nodiscard]] std::vector<std::string> split(std::string_view s, std::string_view separator);
/// Whether `pattern` (ECMAScript syntax) matches somewhere in `s`; throws CallError for a bad
/// pattern.
[[nodiscard]] bool regex_matches(const std::string& s, const std::string& pattern);
/// The first match of `pattern` in `s` and its groups; empty when there is none.
[[nodiscard]] std::vector<std::string> regex_extract(const std::string& s,
                                                     const std::string& pattern);
/// 1 - (Damerau-Levenshtein distance / length of the longer), over code points (adjacent
/// transpositions cost one edit), as ZEN computes it in binary floating point.
[[nodiscard]] double similarity(std::string_view a, std::string_view b);
/// A scalar as text, as template strings and string() write it: numbers with their scale,
/// `true`, `false`, `null`. Throws CallError for arrays, objects and intervals.
[[nodiscard]] std::string to_text(const Value& v);

}  // namespace lg::zen
