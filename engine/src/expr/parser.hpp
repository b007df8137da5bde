#pragma once

#include "expr/program.hpp"

#include <memory>
#include <string_view>

namespace lg::detail {

/// Compiles `text`; throws ExpressionError at the first syntax error, unknown function or wrong
/// argument count.
[[nodiscard]] std::shared_ptr<const Program> parse_program(std::string_view text);

}  // namespace lg::detail
