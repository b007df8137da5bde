#include "graph/yaml_scalars.hpp"

#include "graph/graph_where.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

constexpr std::string_view core_tag = "tag:yaml.org,2002:";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_of(std::string_view text, bool (*pred)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), pred);
}

bool one_of(std::string_view text, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), text) != words.end();
}

std::string_view without_sign(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    text.remove_prefix(1);
  }
  return text;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, the core schema's float.
bool is_float_text(std::string_view text) {
  text = without_sign(text);
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) {
      ++i;
    }
    return i - start;
  };
  const std::size_t whole = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (digits() == 0 && whole == 0) {
      return false;
    }
  } else if (whole == 0) {
    return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      ++i;
    }
    if (digits() == 0) {
      return false;
    }
  }
  return i == text.size();
}

YamlScalar fail(std::string problem) {
  return {std::nullopt, std::move(problem)};
}

YamlScalar as_float(std::string_view text) {
  if (one_of(without_sign(text), {".inf", ".Inf", ".INF"}) ||
      one_of(text, {".nan", ".NaN", ".NAN"})) {
    return fail(fmt::format("'{}' has no JSON equivalent (JSON has no infinity or NaN)", text));
  }
  if (!is_float_text(text)) {
    return {};
  }
  const std::string_view digits = text.front() == '+' ? text.substr(1) : text;
  double value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return fail(fmt::format("the number {} is out of range", text));
  }
  return {Json(value), {}};
}

// The core schema's integers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+. Nothing when `text` is not
// one (then it may be a float or a string).
YamlScalar as_integer(std::string_view text) {
  int base = 10;
  std::string_view digits = text;
  if (text.starts_with("0o") || text.starts_with("0x")) {
    base = text[1] == 'o' ? 8 : 16;
    digits.remove_prefix(2);
    const auto in_base = [base](char c) {
      return base == 8 ? c >= '0' && c <= '7'
                       : is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), in_base)) {
      return {};
    }
  } else {
    digits = without_sign(text);
    if (!all_of(digits, is_digit)) {
      return {};
    }
  }
  std::uint64_t magnitude = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  const bool negative = text.front() == '-';
  constexpr auto min_magnitude = std::uint64_t{1} << 63;  // of std::int64_t's minimum
  if (error == std::errc() && end == digits.data() + digits.size() &&
      (!negative || magnitude <= min_magnitude)) {
    if (!negative) {
      return {Json(magnitude), {}};
    }
    return {Json(magnitude == min_magnitude ? std::numeric_limits<std::int64_t>::min()
                                            : -static_cast<std::int64_t>(magnitude)),
            {}};
  }
  if (base != 10) {
    return fail(fmt::format("the integer {} is out of range (at most 64 bits)", text));
  }
  return as_float(text);  // as JSON reads a decimal integer beyond 64 bits
}

YamlScalar plain(std::string_view text) {
  if (text.empty() || one_of(text, {"~", "null", "Null", "NULL"})) {
    return {Json(nullptr), {}};
  }
  if (one_of(text, {"true", "True", "TRUE"})) {
    return {Json(true), {}};
  }
  if (one_of(text, {"false", "False", "FALSE"})) {
    return {Json(false), {}};
  }
  if (YamlScalar number = as_integer(text); number.value || !number.problem.empty()) {
    return number;
  }
  if (YamlScalar number = as_float(text); number.value || !number.problem.empty()) {
    return number;
  }
  return {Json(std::string(text)), {}};
}

}  // namespace

YamlScalar yaml_scalar(std::string_view tag, std::string_view text) {
  if (tag == "?") {
    return plain(text);
  }
  const std::string_view type =
      tag.starts_with(core_tag) ? tag.substr(core_tag.size()) : std::string_view();
  if (tag == "!" || type == "str") {
    return {Json(std::string(text)), {}};
  }
  if (!one_of(type, {"null", "bool", "int", "float"})) {
    return fail(
        fmt::format("the tag '{}' is not supported (YAML's core tags are: !!str, !!int, "
                    "!!float, !!bool, !!null)",
                    printable(tag)));
  }
  YamlScalar value = plain(text);
  if (!value.value) {
    return value;
  }
  const bool fits = (type == "null" && value.value->is_null()) ||
                    (type == "bool" && value.value->is_boolean()) ||
                    (type == "int" && value.value->is_number_integer()) ||
                    (type == "float" && value.value->is_number());
  if (!fits) {
    return fail(fmt::format("'{}' is not a value of the tag !!{}", text, type));
  }
  if (type == "float") {
    value.value = value.value->get<double>();
  }
  return value;
}

bool is_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t point = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if ((lead & 0xe0) == 0xc0) {
      length = 2;
      point = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
      point = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4;
      point = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) {
        return false;
      }
      point = (point << 6) | (next & 0x3f);
    }
    static constexpr std::array<std::uint32_t, 5> smallest{0, 0, 0x80, 0x800, 0x10000};
    if (point < smallest[length] || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace lg::detail
