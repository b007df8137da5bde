#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lg::detail {

/// `bytes` in base64 (RFC 4648, padded): how the database nodes give binary values.
inline std::string base64(const unsigned char* bytes, std::size_t size) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (std::size_t i = 0; i < size; i += 3) {
    const std::size_t left = size - i < 3 ? size - i : 3;
    std::uint32_t group = static_cast<std::uint32_t>(bytes[i]) << 16;
    if (left > 1) {
      group |= static_cast<std::uint32_t>(bytes[i + 1]) << 8;
    }
    if (left > 2) {
      group |= bytes[i + 2];
    }
    out.push_back(alphabet[(group >> 18) & 63]);
    out.push_back(alphabet[(group >> 12) & 63]);
    out.push_back(left > 1 ? alphabet[(group >> 6) & 63] : '=');
    out.push_back(left > 2 ? alphabet[group & 63] : '=');
  }
  return out;
}

}  // namespace lg::detail
