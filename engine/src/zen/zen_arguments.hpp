#pragma once

// Argument checks shared by ZEN's built-in functions: each complaint names the function.

#include "zen/zen_functions.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

namespace lg::zen {

using Args = std::vector<Value>;

[[noreturn]] inline void bad(std::string_view fn, std::string_view what) {
  throw CallError(fmt::format("{}(): {}", fn, what));
}

inline const Decimal& number_arg(const Args& a, std::size_t i, std::string_view fn) {
  if (!a[i].is_number()) {
    bad(fn, fmt::format("argument {} must be a number, not {}", i + 1, a[i].type_name()));
  }
  return a[i].as_number();
}
inline const std::string& string_arg(const Args& a, std::size_t i, std::string_view fn) {
  if (!a[i].is_string()) {
    bad(fn, fmt::format("argument {} must be a string, not {}", i + 1, a[i].type_name()));
  }
  return a[i].as_string();
}
inline const Array& array_arg(const Args& a, std::size_t i, std::string_view fn) {
  if (!a[i].is_array()) {
    bad(fn, fmt::format("argument {} must be an array, not {}", i + 1, a[i].type_name()));
  }
  return a[i].as_array();
}
}  // namespace lg::zen
