#include "support/zen_cases.hpp"

#include "support/json5.hpp"

#include <fmt/format.h>

namespace lg::test {
namespace {

std::vector<std::string> fields_of(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (true) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
    }
    while (i < line.size() && line[i] != ';') {
      field += line[i++];
    }
    out.push_back(std::move(field));
    if (i >= line.size()) {
      return out;
    }
    ++i;
  }
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::vector<ZenCase> read_zen_cases(std::string_view text) {
  std::vector<ZenCase> out;
  std::size_t line_no = 0;
  bool header = true;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (blank(line)) {
      continue;
    }
    if (header) {
      header = false;
      continue;
    }
    const auto fields = fields_of(line);
    if (fields.size() != 3 || fields[0].starts_with('#')) {
      continue;
    }
    try {
      ZenCase c;
      c.line = line_no;
      c.expression = fields[0];
      c.input = blank(fields[1]) ? nlohmann::json::object() : parse_json5(fields[1]);
      c.expected = parse_json5(fields[2]);
      out.push_back(std::move(c));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("line {}: {}", line_no, e.what()));
    }
  }
  return out;
}

bool zen_equal(const nlohmann::json& actual, const nlohmann::json& expected) {
  if (actual.is_number() && expected.is_number()) {
    return actual.get<double>() == expected.get<double>();
  }
  if (actual.type() != expected.type()) {
    return false;
  }
  if (actual.is_array()) {
    if (actual.size() != expected.size()) {
      return false;
    }
    for (std::size_t i = 0; i < actual.size(); ++i) {
      if (!zen_equal(actual[i], expected[i])) {
        return false;
      }
    }
    return true;
  }
  if (actual.is_object()) {
    if (actual.size() != expected.size()) {
      return false;
    }
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k) || !zen_equal(actual[k], v)) {
        return false;
      }
    }
    return true;
  }
  return actual == expected;
}

}  // namespace lg::test
