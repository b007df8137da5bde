#pragma once

#include <logic_graph/engine/expr/zen_shared_value.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace lg::zen {

struct CompiledExpression;
struct EnvironmentState;
class Expression;

/// An input converted once for many evaluations (the cells of a decision table, the keys of an
/// expression node), with names bound over it (`$`, `$nodes`). One per evaluation: not for
/// several threads at once.
///
/// @code
/// lg::zen::Environment env(input);                 // converted here, once
/// env.bind_result("$", field);                     // `$` is the column's value
/// for (const auto& cell : cells) { if (cell.holds(env)) ... }
/// @endcode
class Environment {
 public:
  /// Throws lg::ExpressionError when `input` is too large or too deep to convert.
  explicit Environment(const nlohmann::json& input);
  /// Over `input` as it is: nothing is converted or copied.
  explicit Environment(const SharedValue& input);
  ~Environment();
  Environment(Environment&&) noexcept;
  Environment& operator=(Environment&&) noexcept;

  /// Binds `name` to `value` over the input (it hides the input's member of that name).
  void bind(std::string_view name, const nlohmann::json& value);
  void bind(std::string_view name, const SharedValue& value);
  /// The value bound to `name` (null when none is).
  [[nodiscard]] SharedValue bound(std::string_view name) const;
  /// Binds `name` to `expression`'s value in this environment, computed once per environment
  /// however often it is bound; false (and `name` as it was) when the evaluation fails.
  bool bind_result(std::string_view name, const Expression& expression);
  /// Evaluates `expression` here, sets its value at the dotted `path` of the object bound to
  /// `name` (made on first use; kept exact, in decimal) and returns the value: an expression
  /// node's keys, which later keys read as `$.key`. Throws as Expression::evaluate().
  SharedValue assign(std::string_view name, std::string_view path, const Expression& expression);

 private:
  friend class Expression;
  std::unique_ptr<EnvironmentState> state_;
};

/// How ZEN reads an expression: a standard expression (with `;`-separated assignments), or a
/// unary test of `$` as in decision-table cells (`> 5`, `'GB', 'US'`, `[1..10)`).
enum class Mode { standard, unary };

/// An expression of GoRules ZEN's language, the dialect of JDM graphs, parsed once.
///
/// It computes as ZEN does, in decimal (`0.1 + 0.2 == 0.3`; 96-bit magnitudes, 28 fraction
/// digits), with `1 / 0` giving null; `and`, `or`, `not`, `??`, `in`, intervals, template
/// strings, closures over `#`, and ZEN's functions. Immutable after parse(); evaluate() is
/// const and safe from any number of threads at once.
///
/// @code
/// const auto e = lg::zen::Expression::parse("sum(map(items, #.price * #.qty))");
/// nlohmann::json total = e.evaluate({{"items", {{{"price", 2.5}, {"qty", 4}}}}});  // 10
/// const auto cell = lg::zen::Expression::parse("'GB', 'US'", lg::zen::Mode::unary);
/// bool hit = cell.evaluate({{"$", "US"}}) == true;
/// @endcode
class Expression {
 public:
  /// Throws lg::ExpressionError (expression.hpp) at a syntax error, an unknown function or a
  /// wrong number of arguments.
  [[nodiscard]] static Expression parse(std::string_view text, Mode mode = Mode::standard);

  /// The value with `input` as the environment (its keys are the names the expression reads);
  /// whole numbers come back as JSON integers, others as doubles. Throws lg::ExpressionError
  /// on a type error or an overflow.
  [[nodiscard]] nlohmann::json evaluate(const nlohmann::json& input) const;
  /// The value in `env`; throws as evaluate() does.
  [[nodiscard]] nlohmann::json evaluate_in(const Environment& env) const;
  /// The value in `env` as ZEN's (exact decimals, shared); throws as evaluate() does.
  [[nodiscard]] SharedValue value_in(const Environment& env) const;
  /// True when the value in `env` is the boolean true; false for any other value and for an
  /// error (as ZEN reads a decision-table cell or a switch's condition).
  [[nodiscard]] bool holds(const Environment& env) const;

  [[nodiscard]] const std::string& text() const noexcept;
  [[nodiscard]] Mode mode() const noexcept;

 private:
  friend class Environment;
  explicit Expression(std::shared_ptr<const CompiledExpression> compiled) noexcept;

  std::shared_ptr<const CompiledExpression> compiled_;
};

/// What `d()`, `isToday()` and the other readings of "now" see, process-wide: `instant`, or
/// the clock again with nullopt. Without a call, the ISO-8601 instant of the environment
/// variable __ZEN_MOCK_UTC_TIME when set (as ZEN's own test suite pins it), else the clock.
void pin_now(std::optional<std::chrono::system_clock::time_point> instant) noexcept;

/// The zone of dates made without one (`d('2024-01-01')`), process-wide, by IANA name
/// ("Europe/Berlin", "UTC"). Without a call: the TZ environment variable's zone when it names
/// one, else UTC. Throws std::invalid_argument for an unknown name.
void set_default_time_zone(std::string_view name);

/// An ISO-8601 instant (`2024-01-31T10:00:00Z`, `2024-01-31T12:00:00+02:00`; a date alone is
/// midnight UTC), or nullopt.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_instant(
    std::string_view text);

}  // namespace lg::zen
