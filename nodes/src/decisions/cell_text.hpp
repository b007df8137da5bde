#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// Reading the text of a decision-table cell: where its parts are, outside quotes and brackets.
namespace lg::detail {

/// A part of a cell's text, with where it starts in the cell (for error positions).
struct CellPart {
  std::string_view text;
  std::size_t offset = 0;
};

/// `part` without the spaces around it.
[[nodiscard]] CellPart trimmed(CellPart part) noexcept;

/// `part` split at each top-level `,` (outside quotes, brackets and parentheses), each trimmed.
[[nodiscard]] std::vector<CellPart> split_at_commas(CellPart part);

/// `part` split at each top-level word `word` (`and`, `or`), each piece trimmed.
[[nodiscard]] std::vector<CellPart> split_at_word(CellPart part, std::string_view word);

/// The position of the top-level `..` of an interval's inside (`[a..b]` without the brackets),
/// or npos.
[[nodiscard]] std::size_t find_range_dots(std::string_view inside) noexcept;

/// True when `text` names `$` outside quotes: then the cell is an expression of its own.
[[nodiscard]] bool names_subject(std::string_view text) noexcept;

/// `text` with the words `and`, `or` and `not` (outside quotes) written as the graph language's
/// `&&`, `||` and `!`, each position unchanged (so errors point at the cell as written).
[[nodiscard]] std::string with_operator_words(std::string_view text);

/// `word` at `at` in `text`, standing alone (not part of a longer name).
[[nodiscard]] bool word_at(std::string_view text, std::size_t at, std::string_view word) noexcept;

}  // namespace lg::detail
