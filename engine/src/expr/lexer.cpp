#include "expr/lexer.hpp"

#include <logic_graph/engine/expr/expression.hpp>

#include <fmt/format.h>

#include <charconv>
#include <system_error>

namespace lg::detail {

namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_ident_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) noexcept {
  return is_ident_start(c) || is_digit(c);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    for (;;) {
      skip_space();
      Token token;
      token.pos = static_cast<std::uint32_t>(at_);
      if (at_ == text_.size()) {
        tokens.push_back(std::move(token));
        return tokens;
      }
      const char c = text_[at_];
      if (is_digit(c)) {
        number(token);
      } else if (is_ident_start(c)) {
        word(token);
      } else if (c == '$') {
        // `$` alone is a name: a decision-table cell's own column value.
        ++at_;
        token.kind = Tok::identifier;
      } else if (c == '\'' || c == '"') {
        string(token);
      } else {
        symbol(token);
      }
      token.text = text_.substr(token.pos, at_ - token.pos);
      tokens.push_back(std::move(token));
    }
  }

 private:
  [[noreturn]] void fail(std::size_t pos, std::string_view reason) const {
    throw ExpressionError(std::string(text_), pos, reason);
  }

  void skip_space() noexcept {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }

  void number(Token& token) {
    const std::size_t start = at_;
    bool is_real = false;
    while (at_ < text_.size() && is_digit(text_[at_])) {
      ++at_;
    }
    if (at_ + 1 < text_.size() && text_[at_] == '.' && is_digit(text_[at_ + 1])) {
      is_real = true;
      ++at_;
      while (at_ < text_.size() && is_digit(text_[at_])) {
        ++at_;
      }
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      std::size_t exp = at_ + 1;
      if (exp < text_.size() && (text_[exp] == '+' || text_[exp] == '-')) {
        ++exp;
      }
      if (exp < text_.size() && is_digit(text_[exp])) {
        is_real = true;
        at_ = exp;
        while (at_ < text_.size() && is_digit(text_[at_])) {
          ++at_;
        }
      }
    }
    // `12abc` or `1e` is a typo, not a number followed by a name.
    if (at_ < text_.size() && is_ident_char(text_[at_])) {
      fail(start, "malformed number");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + at_;
    if (is_real) {
      token.kind = Tok::real;
      const auto [ptr, ec] = std::from_chars(first, last, token.real);
      if (ec != std::errc() || ptr != last) {
        fail(start, "number literal out of range");
      }
    } else {
      token.kind = Tok::integer;
      const auto [ptr, ec] = std::from_chars(first, last, token.integer);
      if (ec != std::errc() || ptr != last) {
        fail(start, "integer literal out of range");
      }
    }
  }

  void word(Token& token) {
    const std::size_t start = at_;
    while (at_ < text_.size() && is_ident_char(text_[at_])) {
      ++at_;
    }
    const std::string_view w = text_.substr(start, at_ - start);
    if (w == "true") {
      token.kind = Tok::kw_true;
    } else if (w == "false") {
      token.kind = Tok::kw_false;
    } else if (w == "null") {
      token.kind = Tok::kw_null;
    } else if (w == "in") {
      token.kind = Tok::kw_in;
    } else {
      token.kind = Tok::identifier;
    }
  }

  void string(Token& token) {
    const std::size_t start = at_;
    const char quote = text_[at_++];
    token.kind = Tok::string;
    for (;;) {
      if (at_ == text_.size()) {
        fail(start, "unterminated string");
      }
      const char c = text_[at_];
      if (c == quote) {
        ++at_;
        return;
      }
      if (c != '\\') {
        token.str.push_back(c);
        ++at_;
        continue;
      }
      if (at_ + 1 == text_.size()) {
        fail(start, "unterminated string");
      }
      switch (text_[at_ + 1]) {
        case '\\':
          token.str.push_back('\\');
          break;
        case '\'':
          token.str.push_back('\'');
          break;
        case '"':
          token.str.push_back('"');
          break;
        case 'n':
          token.str.push_back('\n');
          break;
        case 't':
          token.str.push_back('\t');
          break;
        default:
          fail(at_, "unknown escape sequence (use \\\\, \\', \\\", \\n or \\t)");
      }
      at_ += 2;
    }
  }

  // Two-character operators first, so that `<=` is not read as `<` then `=`.
  void symbol(Token& token) {
    const char c = text_[at_];
    const char next = at_ + 1 < text_.size() ? text_[at_ + 1] : '\0';
    auto two = [&](Tok kind) {
      token.kind = kind;
      at_ += 2;
    };
    auto one = [&](Tok kind) {
      token.kind = kind;
      at_ += 1;
    };
    switch (c) {
      case '|':
        return next == '|' ? two(Tok::oror) : fail(at_, "unexpected '|' (did you mean '||'?)");
      case '&':
        return next == '&' ? two(Tok::andand) : fail(at_, "unexpected '&' (did you mean '&&'?)");
      case '=':
        return next == '=' ? two(Tok::eq) : fail(at_, "unexpected '=' (did you mean '=='?)");
      case '!':
        return next == '=' ? two(Tok::ne) : one(Tok::bang);
      case '<':
        return next == '=' ? two(Tok::le) : one(Tok::lt);
      case '>':
        return next == '=' ? two(Tok::ge) : one(Tok::gt);
      case '(':
        return one(Tok::lparen);
      case ')':
        return one(Tok::rparen);
      case '[':
        return one(Tok::lbracket);
      case ']':
        return one(Tok::rbracket);
      case ',':
        return one(Tok::comma);
      case '.':
        return one(Tok::dot);
      case '?':
        return one(Tok::question);
      case ':':
        return one(Tok::colon);
      case '+':
        return one(Tok::plus);
      case '-':
        return one(Tok::minus);
      case '*':
        return one(Tok::star);
      case '/':
        return one(Tok::slash);
      case '%':
        return one(Tok::percent);
      default:
        break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      // (fmt: GCC 12 at -O1 under TSan warns, wrongly, about concatenating onto a temporary)
      fail(at_, fmt::format("unexpected character '{}'", c));
    }
    fail(at_, "unexpected character");
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  return Lexer(text).run();
}

std::string_view describe(Tok kind) noexcept {
  switch (kind) {
    case Tok::end:
      return "the end of the expression";
    case Tok::integer:
    case Tok::real:
      return "a number";
    case Tok::string:
      return "a string";
    case Tok::identifier:
      return "a name";
    case Tok::kw_true:
      return "'true'";
    case Tok::kw_false:
      return "'false'";
    case Tok::kw_null:
      return "'null'";
    case Tok::kw_in:
      return "'in'";
    case Tok::lparen:
      return "'('";
    case Tok::rparen:
      return "')'";
    case Tok::lbracket:
      return "'['";
    case Tok::rbracket:
      return "']'";
    case Tok::comma:
      return "','";
    case Tok::dot:
      return "'.'";
    case Tok::question:
      return "'?'";
    case Tok::colon:
      return "':'";
    case Tok::oror:
      return "'||'";
    case Tok::andand:
      return "'&&'";
    case Tok::eq:
      return "'=='";
    case Tok::ne:
      return "'!='";
    case Tok::lt:
      return "'<'";
    case Tok::le:
      return "'<='";
    case Tok::gt:
      return "'>'";
    case Tok::ge:
      return "'>='";
    case Tok::plus:
      return "'+'";
    case Tok::minus:
      return "'-'";
    case Tok::star:
      return "'*'";
    case Tok::slash:
      return "'/'";
    case Tok::percent:
      return "'%'";
    case Tok::bang:
      return "'!'";
  }
  return "a token";
}

}  // namespace lg::detail
