#include "decisions/cell_text.hpp"

#include <algorithm>

namespace lg::detail {
namespace {

bool is_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

/// Calls `visit(i, depth)` for each character outside quotes (with their backslash escapes),
/// `depth` counting the brackets and parentheses open before it. Stops at the first character
/// for which `visit` returns true, and returns its position (npos if none).
template <class Visit>
std::size_t scan_unquoted(std::string_view text, Visit visit) {
  int depth = 0;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (visit(i, depth)) {
      return i;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

/// As scan_unquoted(), visiting only the characters outside brackets and parentheses.
template <class Visit>
std::size_t scan_top_level(std::string_view text, Visit visit) {
  return scan_unquoted(text, [&](std::size_t i, int depth) { return depth == 0 && visit(i); });
}

std::vector<CellPart> split_where(CellPart part, std::size_t width, auto is_separator) {
  std::vector<CellPart> parts;
  std::size_t start = 0;
  scan_top_level(part.text, [&](std::size_t i) {
    if (i >= start && is_separator(i)) {
      parts.push_back(trimmed({part.text.substr(start, i - start), part.offset + start}));
      start = i + width;
    }
    return false;
  });
  parts.push_back(trimmed({part.text.substr(start), part.offset + start}));
  return parts;
}

}  // namespace

CellPart trimmed(CellPart part) noexcept {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!part.text.empty() && space(part.text.front())) {
    part.text.remove_prefix(1);
    ++part.offset;
  }
  while (!part.text.empty() && space(part.text.back())) {
    part.text.remove_suffix(1);
  }
  return part;
}

std::vector<CellPart> split_at_commas(CellPart part) {
  return split_where(part, 1, [&](std::size_t i) { return part.text[i] == ','; });
}

std::vector<CellPart> split_at_word(CellPart part, std::string_view word) {
  return split_where(part, word.size(), [&](std::size_t i) { return word_at(part.text, i, word); });
}

std::size_t find_range_dots(std::string_view inside) noexcept {
  return scan_top_level(inside, [&](std::size_t i) {
    return inside[i] == '.' && i + 1 < inside.size() && inside[i + 1] == '.';
  });
}

bool names_subject(std::string_view text) noexcept {
  return scan_unquoted(text, [&](std::size_t i, int) { return text[i] == '$'; }) !=
         std::string_view::npos;
}

std::string with_operator_words(std::string_view text) {
  std::string out(text);
  // Each word is overwritten by as many characters, so `text`'s positions stay those of `out`.
  scan_unquoted(text, [&](std::size_t i, int) {
    const auto overwrite = [&](std::string_view with) {
      std::copy(with.begin(), with.end(), out.begin() + static_cast<std::ptrdiff_t>(i));
    };
    if (word_at(text, i, "and")) {
      overwrite("&& ");
    } else if (word_at(text, i, "or")) {
      overwrite("||");
    } else if (word_at(text, i, "not")) {
      overwrite("!  ");
    }
    return false;
  });
  return out;
}

bool word_at(std::string_view text, std::size_t at, std::string_view word) noexcept {
  return text.substr(at, word.size()) == word && (at == 0 || !is_name_char(text[at - 1])) &&
         (at + word.size() == text.size() || !is_name_char(text[at + word.size()]));
}

}  // namespace lg::detail
