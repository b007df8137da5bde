#pragma once

// ZEN's built-in functions, looked up by name when an expression is parsed.

#include "zen/zen_value.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace lg::zen {

/// A function's complaint about its arguments; the evaluator adds the call's place.
struct CallError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What a bare call means as a unary test: `$` equal to it, `$` in it, or its truth.
enum class UnaryUse : std::uint8_t { equal, in, boolean };

struct Function {
  std::string_view name;
  std::uint8_t min_args;
  std::uint8_t max_args;
  UnaryUse unary_use;
  Value (*impl)(const std::vector<Value>& args);
};

/// The functions that take a closure over an array's elements.
enum class ClosureKind : std::uint8_t { map, filter, some, all, none, one, count, flat_map };

/// The index of the plain function `name`, or nullopt.
[[nodiscard]] std::optional<std::uint16_t> find_function(std::string_view name) noexcept;
[[nodiscard]] const Function& function_at(std::uint16_t index) noexcept;
/// The closure function `name`, or nullopt.
[[nodiscard]] std::optional<ClosureKind> find_closure(std::string_view name) noexcept;

}  // namespace lg::zen
