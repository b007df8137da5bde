#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace lg::zen {

struct CompiledExpression;

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

  [[nodiscard]] const std::string& text() const noexcept;
  [[nodiscard]] Mode mode() const noexcept;

 private:
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
