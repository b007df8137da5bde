#include <logic_graph/engine/expr/zen_expression.hpp>

#include "zen/zen_evaluator.hpp"
#include "zen/zen_parser.hpp"

#include <logic_graph/engine/expr/expression.hpp>

#include <fmt/format.h>

#include <stdexcept>

namespace lg::zen {

struct CompiledExpression {
  std::string text;
  Mode mode = Mode::standard;
  std::unique_ptr<Node> root;
};

Expression::Expression(std::shared_ptr<const CompiledExpression> compiled) noexcept
    : compiled_(std::move(compiled)) {}

Expression Expression::parse(std::string_view text, Mode mode) {
  constexpr std::size_t max_length = std::size_t{1} << 20;
  if (text.size() > max_length) {
    throw ExpressionError(std::string(text.substr(0, 64)), 0,
                          fmt::format("expression longer than {} bytes", max_length));
  }
  auto c = std::make_shared<CompiledExpression>();
  c->text = std::string(text);
  c->mode = mode;
  c->root = mode == Mode::unary ? parse_unary(c->text) : parse_standard(c->text);
  return Expression(std::move(c));
}

nlohmann::json Expression::evaluate(const nlohmann::json& input) const {
  Value env;
  try {
    env = Value::from_json(input);
  } catch (const std::length_error& e) {
    throw ExpressionError(compiled_->text, 0, fmt::format("the input is too large: {}", e.what()));
  }
  return zen::evaluate(compiled_->text, *compiled_->root, env).to_json();
}

const std::string& Expression::text() const noexcept {
  return compiled_->text;
}

Mode Expression::mode() const noexcept {
  return compiled_->mode;
}

}  // namespace lg::zen
