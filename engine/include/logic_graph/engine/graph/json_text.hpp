#pragma once

#include <cstddef>
#include <string_view>

namespace lg {

/// A place in a text, both 1-based; the column counts UTF-8 characters, not bytes.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// The line and column of byte `offset` in `text` (an offset past the end means the end).
[[nodiscard]] TextPosition text_position(std::string_view text, std::size_t offset);

/// The offset of the bracket that nests deeper than `limit` in JSON text, or npos. A linear
/// scan that needs no valid JSON (strings and escapes are skipped), so it can run before a
/// recursive parser does: parsing, copying or printing a deeper document could overflow the
/// stack.
[[nodiscard]] std::size_t too_deep_at(std::string_view text, std::size_t limit) noexcept;

}  // namespace lg
