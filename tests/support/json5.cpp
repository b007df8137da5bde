#include "support/json5.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string>

namespace lg::test {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  nlohmann::json document() {
    nlohmann::json v = value();
    skip();
    if (i_ != s_.size()) {
      fail("unexpected text after the value");
    }
    return v;
  }

 private:
  [[noreturn]] void fail(std::string_view what) const {
    throw std::invalid_argument(fmt::format("JSON5 at {}: {}", i_, what));
  }
  void skip() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i_;
      } else if (s_.substr(i_, 2) == "//") {
        while (i_ < s_.size() && s_[i_] != '\n') {
          ++i_;
        }
      } else if (s_.substr(i_, 2) == "/*") {
        const auto end = s_.find("*/", i_ + 2);
        i_ = end == std::string_view::npos ? s_.size() : end + 2;
      } else {
        return;
      }
    }
  }
  static bool word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
  }

  nlohmann::json value() {
    if (++depth_ > 200) {
      fail("nested too deeply");
    }
    skip();
    if (i_ >= s_.size()) {
      fail("a value is missing");
    }
    nlohmann::json out;
    const char c = s_[i_];
    if (c == '{') {
      out = object();
    } else if (c == '[') {
      out = array();
    } else if (c == '"' || c == '\'') {
      out = string();
    } else if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
      out = number();
    } else {
      const std::size_t start = i_;
      while (i_ < s_.size() && word_char(s_[i_])) {
        ++i_;
      }
      const std::string_view w = s_.substr(start, i_ - start);
      if (w == "true" || w == "false") {
        out = w == "true";
      } else if (w != "null") {
        i_ = start;
        fail("unexpected character");
      }
    }
    --depth_;
    return out;
  }

  nlohmann::json object() {
    ++i_;
    auto out = nlohmann::json::object();
    while (true) {
      skip();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return out;
      }
      std::string key;
      if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) {
        key = string();
      } else {
        const std::size_t start = i_;
        while (i_ < s_.size() && word_char(s_[i_])) {
          ++i_;
        }
        if (start == i_) {
          fail("a key is missing");
        }
        key = std::string(s_.substr(start, i_ - start));
      }
      skip();
      if (i_ >= s_.size() || s_[i_] != ':') {
        fail("':' expected after a key");
      }
      ++i_;
      out[key] = value();
      skip();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
      } else if (i_ >= s_.size() || s_[i_] != '}') {
        fail("',' or '}' expected");
      }
    }
  }

  nlohmann::json array() {
    ++i_;
    auto out = nlohmann::json::array();
    while (true) {
      skip();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return out;
      }
      out.push_back(value());
      skip();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
      } else if (i_ >= s_.size() || s_[i_] != ']') {
        fail("',' or ']' expected");
      }
    }
  }

  std::string string() {
    const char quote = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != quote) {
      char c = s_[i_++];
      if (c == '\\' && i_ < s_.size()) {
        c = s_[i_++];
        c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
      }
      out += c;
    }
    if (i_ >= s_.size()) {
      fail("unterminated string");
    }
    ++i_;
    return out;
  }

  nlohmann::json number() {
    const std::size_t start = i_;
    if (s_[i_] == '+' || s_[i_] == '-') {
      ++i_;
    }
    bool fraction = false;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '.' || c == 'e' || c == 'E') {
        fraction = true;
      } else if (!((c >= '0' && c <= '9') || ((c == '+' || c == '-') && fraction))) {
        break;
      }
      ++i_;
    }
    std::string text(s_.substr(start, i_ - start));
    if (!text.empty() && text[0] == '+') {
      text.erase(0, 1);
    }
    if (!fraction) {
      std::int64_t v = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
      if (r.ec == std::errc() && r.ptr == text.data() + text.size()) {
        return v;
      }
    }
    try {
      std::size_t used = 0;
      const double d = std::stod(text, &used);
      if (used == text.size()) {
        return d;
      }
    } catch (const std::exception&) {
    }
    i_ = start;
    fail("bad number");
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

nlohmann::json parse_json5(std::string_view text) {
  return Reader(text).document();
}

}  // namespace lg::test
