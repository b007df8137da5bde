#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lg::detail {

enum class Tok : std::uint8_t {
  end,
  integer,
  real,
  string,
  identifier,
  kw_true,
  kw_false,
  kw_null,
  kw_in,
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  dot,
  question,
  colon,
  oror,
  andand,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  plus,
  minus,
  star,
  slash,
  percent,
  bang,
};

struct Token {
  Tok kind = Tok::end;
  std::uint32_t pos = 0;
  std::string_view text;      // the token as written
  std::string str;            // string literal: the decoded contents
  std::uint64_t integer = 0;  // literals have no sign: `-` is an operator
  double real = 0.0;
};

/// Splits `text` into tokens, ending with one Tok::end at text.size(); throws ExpressionError
/// at the first character that starts no token.
[[nodiscard]] std::vector<Token> tokenize(std::string_view text);

/// How a token kind is shown in messages, e.g. "'&&'" or "a number".
[[nodiscard]] std::string_view describe(Tok kind) noexcept;

}  // namespace lg::detail
