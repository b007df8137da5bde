#include "zen/zen_lexer.hpp"

#include <logic_graph/engine/expr/expression.hpp>

#include <fmt/format.h>

#include <array>

namespace lg::zen {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool starts_identifier(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool continues_identifier(char c) noexcept {
  return starts_identifier(c) || is_digit(c);
}

constexpr std::array<std::string_view, 8> keywords = {"and",  "or",    "not",  "in",
                                                      "true", "false", "null", "as"};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (true) {
      while (i_ < text_.size() &&
             (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' || text_[i_] == '\r')) {
        ++i_;
      }
      if (i_ >= text_.size()) {
        out.push_back(Token{Tok::end, "", static_cast<std::uint32_t>(i_)});
        return out;
      }
      out.push_back(next());
    }
  }

 private:
  Token next() {
    const std::size_t start = i_;
    const char c = text_[i_];
    const auto make = [&](Tok k, std::string t) {
      return Token{k, std::move(t), static_cast<std::uint32_t>(start)};
    };
    if (is_digit(c)) {
      return make(Tok::number, std::string(number()));
    }
    if (starts_identifier(c)) {
      while (i_ < text_.size() && continues_identifier(text_[i_])) {
        ++i_;
      }
      std::string word(text_.substr(start, i_ - start));
      for (const auto k : keywords) {
        if (word == k) {
          return make(Tok::keyword, std::move(word));
        }
      }
      return make(Tok::identifier, std::move(word));
    }
    if (c == '\'' || c == '"') {
      return make(Tok::string, quoted(c));
    }
    if (c == '`') {
      return make(Tok::template_string, template_body());
    }
    ++i_;
    switch (c) {
      case '#':
        return make(Tok::pointer, "#");
      case '(':
      case '[':
      case '{':
        return make(Tok::open, std::string(1, c));
      case ')':
      case ']':
      case '}':
        return make(Tok::close, std::string(1, c));
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '^':
      case ',':
      case ':':
      case ';':
        return make(Tok::op, std::string(1, c));
      default:
        break;
    }
    const auto two = [&](char second, std::string_view both, std::string_view one) {
      if (i_ < text_.size() && text_[i_] == second) {
        ++i_;
        return make(Tok::op, std::string(both));
      }
      return make(Tok::op, std::string(one));
    };
    switch (c) {
      case '=':
        return two('=', "==", "=");
      case '!':
        return two('=', "!=", "!");
      case '<':
        return two('=', "<=", "<");
      case '>':
        return two('=', ">=", ">");
      case '?':
        return two('?', "??", "?");
      case '.':
        return two('.', "..", ".");
      case '&':
        if (i_ < text_.size() && text_[i_] == '&') {
          ++i_;
          return make(Tok::keyword, "and");
        }
        break;
      case '|':
        if (i_ < text_.size() && text_[i_] == '|') {
          ++i_;
          return make(Tok::keyword, "or");
        }
        break;
      default:
        break;
    }
    throw ExpressionError(std::string(text_), start, fmt::format("unexpected character '{}'", c));
  }

  // Digits, a fraction only when a digit follows the point (so `1..5` is a range), an exponent.
  std::string_view number() {
    const std::size_t start = i_;
    const auto digits = [&] {
      while (i_ < text_.size() && (is_digit(text_[i_]) || text_[i_] == '_')) {
        ++i_;
      }
    };
    digits();
    if (i_ + 1 < text_.size() && text_[i_] == '.' && is_digit(text_[i_ + 1])) {
      ++i_;
      digits();
    }
    if (i_ < text_.size() && (text_[i_] == 'e' || text_[i_] == 'E')) {
      std::size_t j = i_ + 1;
      if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) {
        ++j;
      }
      if (j < text_.size() && is_digit(text_[j])) {
        i_ = j;
        digits();
      }
    }
    return text_.substr(start, i_ - start);
  }

  // As in ZEN, a string has no escapes: it ends at the next quote of its kind, so that
  // regular expressions such as '\d{4}' are written as they are.
  std::string quoted(char quote) {
    const std::size_t start = i_++;
    const auto end = text_.find(quote, i_);
    if (end == std::string_view::npos) {
      throw ExpressionError(std::string(text_), start, "unterminated string");
    }
    std::string out(text_.substr(i_, end - i_));
    i_ = end + 1;
    return out;
  }

  // The raw body; `${ ... }` parts are parsed by the parser, which needs their nesting, so here
  // only the closing backtick is found (skipping backticks inside `${ }`).
  std::string template_body() {
    const std::size_t start = i_++;
    int depth = 0;
    std::size_t j = i_;
    for (; j < text_.size(); ++j) {
      const char c = text_[j];
      if (depth == 0 && c == '`') {
        break;
      }
      if (c == '$' && j + 1 < text_.size() && text_[j + 1] == '{') {
        ++depth;
        ++j;
      } else if (c == '}' && depth > 0) {
        --depth;
      }
    }
    if (j >= text_.size()) {
      throw ExpressionError(std::string(text_), start, "unterminated template string");
    }
    std::string body(text_.substr(i_, j - i_));
    i_ = j + 1;
    return body;
  }

  std::string_view text_;
  std::size_t i_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace lg::zen
