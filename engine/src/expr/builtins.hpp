#pragma once

#include "expr/program.hpp"
#include "expr/value.hpp"

#include <cstddef>
#include <string_view>

namespace lg::detail {

class Evaluator;

/// What the parser needs to know about a built-in function.
struct BuiltinInfo {
  std::string_view name;
  Builtin id;
  std::size_t min_args;
  std::size_t max_args;  // variadic functions: a large number
};

/// The function called `name`, or nullptr.
[[nodiscard]] const BuiltinInfo* find_builtin(std::string_view name) noexcept;
/// The function with id `id`.
[[nodiscard]] const BuiltinInfo& builtin_info(Builtin id) noexcept;

/// Evaluates `call` (a NodeKind::call node) with its arguments.
[[nodiscard]] Value call_builtin(const Evaluator& ev, const Node& call);

}  // namespace lg::detail
