#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace lg::detail {

/// The deepest nesting of arrays and objects a node may produce (its result, its writes):
/// printing, copying or comparing a deeper value would recurse towards the end of the stack.
inline constexpr std::size_t max_value_depth = 1000;

/// Throws std::runtime_error naming `what` (a key, or "its result") and the limit when `value`
/// nests deeper than max_value_depth. Scalars and strings cost nothing; other values are walked
/// without recursion.
void check_deep_value(const nlohmann::json& value, std::string_view what);
inline void check_value_depth(const nlohmann::json& value, std::string_view what) {
  if (value.is_structured()) {
    check_deep_value(value, what);
  }
}

}  // namespace lg::detail
