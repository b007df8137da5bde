#include <logic_graph/engine/expr/zen_expression.hpp>

#include "zen/zen_evaluator.hpp"
#include "zen/zen_parser.hpp"
#include "zen/zen_shared_access.hpp"
#include "zen/zen_value_edits.hpp"

#include <logic_graph/engine/expr/expression.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace lg::zen {

struct CompiledExpression {
  std::string text;
  Mode mode = Mode::standard;
  std::unique_ptr<Node> root;
};

struct EnvironmentState {
  Value input;
  std::vector<std::pair<std::string, Value>> bound;
  std::vector<Local> locals;  // views of `bound`, rebuilt when it changes
  // The values bind_result() computed, by expression (nullopt: it failed).
  std::vector<std::pair<const CompiledExpression*, std::optional<Value>>> results;

  [[nodiscard]] Value* find(std::string_view name) {
    for (auto& [key, value] : bound) {
      if (key == name) {
        return &value;
      }
    }
    return nullptr;
  }

  void bind(std::string_view name, Value value) {
    if (Value* at = find(name)) {
      *at = std::move(value);
      return;
    }
    bound.emplace_back(std::string(name), std::move(value));
    locals.clear();
    for (const auto& [key, v] : bound) {
      locals.push_back({key, &v});
    }
  }
};

namespace {

Value converted(const nlohmann::json& input, const std::string& text) {
  try {
    return Value::from_json(input);
  } catch (const std::length_error& e) {
    throw ExpressionError(text, 0, fmt::format("the input is too large: {}", e.what()));
  }
}

}  // namespace

namespace {

// Environments come and go once per element of a JDM loop or table row: each thread keeps a
// few states to reuse, with the room their vectors grew.
class StateCache {
 public:
  std::unique_ptr<EnvironmentState> take() {
    if (free_.empty()) {
      return std::make_unique<EnvironmentState>();
    }
    std::unique_ptr<EnvironmentState> state = std::move(free_.back());
    free_.pop_back();
    return state;
  }
  void give_back(std::unique_ptr<EnvironmentState> state) noexcept {
    state->input = Value();
    state->bound.clear();
    state->locals.clear();
    state->results.clear();
    if (free_.size() < kept) {
      free_.push_back(std::move(state));  // within the reserved room: no allocation
    }
  }
  StateCache() { free_.reserve(kept); }

 private:
  static constexpr std::size_t kept = 8;
  std::vector<std::unique_ptr<EnvironmentState>> free_;
};

thread_local StateCache states;

}  // namespace

Environment::Environment(const nlohmann::json& input) : state_(states.take()) {
  state_->input = converted(input, "");
}

Environment::Environment(const SharedValue& input) : state_(states.take()) {
  state_->input = SharedValueAccess::get(input);
}

Environment::~Environment() {
  if (state_) {
    states.give_back(std::move(state_));
  }
}

Environment::Environment(Environment&&) noexcept = default;
Environment& Environment::operator=(Environment&&) noexcept = default;

void Environment::bind(std::string_view name, const nlohmann::json& value) {
  state_->bind(name, converted(value, std::string(name)));
}

void Environment::bind(std::string_view name, const SharedValue& value) {
  state_->bind(name, SharedValueAccess::get(value));
}

SharedValue Environment::bound(std::string_view name) const {
  const Value* v = state_->find(name);
  return v != nullptr ? SharedValueAccess::make(*v) : SharedValue();
}

bool Environment::bind_result(std::string_view name, const Expression& expression) {
  const CompiledExpression* key = expression.compiled_.get();
  auto it = std::find_if(state_->results.begin(), state_->results.end(),
                         [key](const auto& entry) { return entry.first == key; });
  if (it == state_->results.end()) {
    std::optional<Value> value;
    try {
      value = zen::evaluate(key->text, *key->root, state_->input, state_->locals);
    } catch (const ExpressionError&) {
    }
    state_->results.emplace_back(key, std::move(value));
    it = std::prev(state_->results.end());
  }
  if (!it->second) {
    return false;
  }
  state_->bind(name, *it->second);
  return true;
}

SharedValue Environment::assign(std::string_view name, std::string_view path,
                                const Expression& expression) {
  const CompiledExpression& c = *expression.compiled_;
  const Value v = zen::evaluate(c.text, *c.root, state_->input, state_->locals);
  const Value* current = state_->find(name);
  state_->bind(name, with_path(current != nullptr ? *current : Value::object({}), path, v));
  return SharedValueAccess::make(v);
}

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
  const Value env = converted(input, compiled_->text);
  return zen::evaluate(compiled_->text, *compiled_->root, env).to_json();
}

nlohmann::json Expression::evaluate_in(const Environment& env) const {
  const EnvironmentState& state = *env.state_;
  return zen::evaluate(compiled_->text, *compiled_->root, state.input, state.locals).to_json();
}

SharedValue Expression::value_in(const Environment& env) const {
  const EnvironmentState& state = *env.state_;
  return SharedValueAccess::make(
      zen::evaluate(compiled_->text, *compiled_->root, state.input, state.locals));
}

bool Expression::holds(const Environment& env) const {
  const EnvironmentState& state = *env.state_;
  try {
    const Value v = zen::evaluate(compiled_->text, *compiled_->root, state.input, state.locals);
    return v.is_bool() && v.as_bool();
  } catch (const ExpressionError&) {
    return false;
  }
}

const std::string& Expression::text() const noexcept {
  return compiled_->text;
}

Mode Expression::mode() const noexcept {
  return compiled_->mode;
}

}  // namespace lg::zen
