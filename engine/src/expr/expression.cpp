#include <logic_graph/engine/expr/expression.hpp>

#include "expr/evaluator.hpp"
#include "expr/parser.hpp"
#include "expr/program.hpp"

#include <utility>

namespace lg {

namespace {

std::string format_error(const std::string& expression, std::size_t position,
                         std::string_view reason) {
  std::string message = "at " + std::to_string(position) + " in '";
  message.append(expression).append("': ").append(reason);
  return message;
}

}  // namespace

ExpressionError::ExpressionError(std::string expression, std::size_t position,
                                 std::string_view reason)
    : std::runtime_error(format_error(expression, position, reason)),
      expression_(std::move(expression)),
      position_(position) {}

Expression::Expression(std::shared_ptr<const detail::Program> program) noexcept
    : program_(std::move(program)) {}

Expression Expression::parse(std::string_view text) {
  return Expression(detail::parse_program(text));
}

nlohmann::json Expression::evaluate(const Context& ctx) const {
  return detail::Evaluator(*program_, ctx).eval(program_->root).materialize();
}

bool Expression::test(const Context& ctx) const {
  return detail::Evaluator(*program_, ctx).eval(program_->root).truthy();
}

nlohmann::json Expression::evaluate(const Context& ctx, const Context& overlay) const {
  return detail::Evaluator(*program_, ctx, &overlay).eval(program_->root).materialize();
}

bool Expression::test(const Context& ctx, const Context& overlay) const {
  return detail::Evaluator(*program_, ctx, &overlay).eval(program_->root).truthy();
}

nlohmann::json Expression::evaluate(const KeyLookup& lookup) const {
  return detail::Evaluator(*program_, lookup).eval(program_->root).materialize();
}

const nlohmann::json& Expression::evaluate(const KeyLookup& lookup, nlohmann::json& storage) const {
  // A bare key (a decision table's input column, say): looked up without the evaluator.
  if (const detail::Node& root = program_->nodes[program_->root];
      root.kind == detail::NodeKind::path && root.count == 0) {
    if (const nlohmann::json* found = lookup.find(program_->names[root.lhs])) {
      return *found;
    }
    storage = nullptr;
    return storage;
  }
  detail::Value value = detail::Evaluator(*program_, lookup).eval(program_->root);
  if (const nlohmann::json* borrowed = value.borrowed()) {
    return *borrowed;
  }
  storage = std::move(value).materialize();
  return storage;
}

bool Expression::test(const KeyLookup& lookup) const {
  return detail::Evaluator(*program_, lookup).eval(program_->root).truthy();
}

const std::string& Expression::text() const noexcept {
  return program_->text;
}

std::vector<std::string> Expression::referenced_keys() const {
  return program_->referenced_keys;
}

bool truthy(const nlohmann::json& value) noexcept {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return false;
    case nlohmann::json::value_t::boolean:
      return value.get_ref<const nlohmann::json::boolean_t&>();
    case nlohmann::json::value_t::number_integer:
      return value.get_ref<const nlohmann::json::number_integer_t&>() != 0;
    case nlohmann::json::value_t::number_unsigned:
      return value.get_ref<const nlohmann::json::number_unsigned_t&>() != 0;
    case nlohmann::json::value_t::number_float:
      return value.get_ref<const nlohmann::json::number_float_t&>() != 0.0;
    case nlohmann::json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case nlohmann::json::value_t::array:
    case nlohmann::json::value_t::object:
      return !value.empty();
    case nlohmann::json::value_t::binary:
      return true;
  }
  return true;
}

}  // namespace lg
