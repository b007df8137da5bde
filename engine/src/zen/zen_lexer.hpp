#pragma once

// Tokens of ZEN's expression language.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lg::zen {

enum class Tok : std::uint8_t {
  end,
  number,
  string,           // text: the unescaped contents
  template_string,  // text: the raw contents between the backticks
  identifier,
  pointer,  // #
  op,       // text: + - * / % ^ == != < > <= >= ! ? ?? : . .. , = ;
  open,     // text: ( [ {
  close,    // text: ) ] }
  keyword,  // text: and or not in true false null as
};

struct Token {
  Tok kind = Tok::end;
  std::string text;
  std::uint32_t pos = 0;

  [[nodiscard]] bool is(Tok k, std::string_view t) const noexcept { return kind == k && text == t; }
};

/// All tokens of `text`, ending with Tok::end; throws lg::ExpressionError at a bad character or
/// an unterminated string.
[[nodiscard]] std::vector<Token> tokenize(std::string_view text);

}  // namespace lg::zen
