#include "zen/zen_strings.hpp"

#include "zen/zen_functions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/regex.hpp>

namespace lg::zen {
namespace {

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

// Boost.Regex rather than std::regex: it matches without recursion (no stack overflow on long
// subjects) and gives up on a pattern that backtracks without bound instead of hanging.
boost::regex compiled(const std::string& pattern) {
  try {
    return boost::regex(pattern, boost::regex::perl);
  } catch (const boost::regex_error& e) {
    throw CallError(fmt::format("bad regular expression '{}': {}", pattern, e.what()));
  }
}

template <typename Match>
bool search(const std::string& s, const std::string& pattern, Match& m) {
  try {
    return boost::regex_search(s, m, compiled(pattern));
  } catch (const CallError&) {
    throw;
  } catch (const std::runtime_error& e) {  // the matcher's complexity limit
    throw CallError(fmt::format("regular expression '{}': {}", pattern, e.what()));
  }
}

}  // namespace

std::size_t utf8_length(std::string_view s) noexcept {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string utf8_slice(std::string_view s, std::size_t from, std::size_t to) {
  std::size_t index = 0;
  std::size_t begin = s.size();
  std::size_t end = s.size();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
      continue;
    }
    if (index == from) {
      begin = i;
    }
    if (index == to) {
      end = i;
      break;
    }
    ++index;
  }
  return begin >= end ? std::string() : std::string(s.substr(begin, end - begin));
}

std::string_view trimmed(std::string_view s) noexcept {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::vector<std::string> split(std::string_view s, std::string_view separator) {
  std::vector<std::string> out;
  if (separator.empty()) {
    if (s.size() > max_elements) {
      throw CallError(fmt::format("split(): more than {} parts", max_elements));
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
      out.emplace_back(1, s[i]);
    }
    return out;
  }
  std::size_t start = 0;
  while (true) {
    if (out.size() >= max_elements) {
      throw CallError(fmt::format("split(): more than {} parts", max_elements));
    }
    const auto at = s.find(separator, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (at == std::string_view::npos) {
      return out;
    }
    start = at + separator.size();
  }
}

bool regex_matches(const std::string& s, const std::string& pattern) {
  boost::smatch m;
  return search(s, pattern, m);
}

std::vector<std::string> regex_extract(const std::string& s, const std::string& pattern) {
  boost::smatch m;
  std::vector<std::string> out;
  if (search(s, pattern, m)) {
    for (const auto& g : m) {
      out.push_back(g.str());
    }
  }
  return out;
}

double similarity(std::string_view a, std::string_view b) {
  const auto x = code_points(a);
  const auto y = code_points(b);
  if (x.empty() && y.empty()) {
    return 1.0;
  }
  // Three rows of the optimal-string-alignment table: two back for a transposition.
  const std::size_t w = y.size() + 1;
  std::vector<std::size_t> before(w);
  std::vector<std::size_t> prev(w);
  std::vector<std::size_t> row(w);
  for (std::size_t j = 0; j < w; ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= x.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j < w; ++j) {
      const std::size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, row);
  }
  const double longest = static_cast<double>(std::max(x.size(), y.size()));
  return 1.0 - static_cast<double>(prev[y.size()]) / longest;
}

std::string to_text(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::string:
      return v.as_string();
    case Value::Kind::number:
      return v.as_number().to_string();
    case Value::Kind::boolean:
      return v.as_bool() ? "true" : "false";
    case Value::Kind::null:
      return "null";
    default:
      throw CallError(fmt::format("cannot convert {} to a string", v.type_name()));
  }
}

}  // namespace lg::zen
