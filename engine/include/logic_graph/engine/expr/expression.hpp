#pragma once

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/engine/expr/key_lookup.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

namespace detail {
struct Program;
}  // namespace detail

/// A syntax or evaluation error, pointing at the offending place of the expression text.
///
/// what() reads `at <position> in '<expression>': <reason>`, the position 0-based.
class ExpressionError : public std::runtime_error {
 public:
  /// An error about `expression` at byte `position`, for `reason`.
  ExpressionError(std::string expression, std::size_t position, std::string_view reason);

  /// The 0-based byte offset of the offending token or operator.
  [[nodiscard]] std::size_t position() const noexcept { return position_; }
  /// The full text of the expression.
  [[nodiscard]] const std::string& expression() const noexcept { return expression_; }

 private:
  std::string expression_;
  std::size_t position_;
};

/// An expression of the graph language (edge `when`, rule conditions, computed values), parsed
/// once and evaluated many times against a Context.
///
/// Immutable after parse(); copies share the compiled tree, and evaluate()/test() are const and
/// safe to call from any number of threads at once. Reading the context borrows its values, so
/// test() on comparisons of paths and literals allocates nothing.
///
/// @code
/// const auto rule = lg::Expression::parse("order.total > 0 && order.items > 0");
/// lg::Context ctx;
/// ctx.set("order", {{"total", 120}, {"items", 2}});
/// if (rule.test(ctx)) { ... }
/// nlohmann::json discount = lg::Expression::parse("order.total >= 100 ? 0.1 : 0.0").evaluate(ctx);
/// @endcode
class Expression {
 public:
  /// Compiles `text`; throws ExpressionError on a syntax error, an unknown function or a wrong
  /// argument count.
  [[nodiscard]] static Expression parse(std::string_view text);

  /// The value of the expression; throws ExpressionError on a type error, a division by zero or
  /// an overflow.
  [[nodiscard]] nlohmann::json evaluate(const Context& ctx) const;
  /// Whether the value is truthy (see lg::truthy); throws like evaluate().
  [[nodiscard]] bool test(const Context& ctx) const;
  /// evaluate() with `overlay` consulted before `ctx` for top-level keys (a node's own writes
  /// over the execution's context).
  [[nodiscard]] nlohmann::json evaluate(const Context& ctx, const Context& overlay) const;
  /// test() with an overlay, as evaluate(ctx, overlay).
  [[nodiscard]] bool test(const Context& ctx, const Context& overlay) const;
  /// evaluate() with top-level keys found through `lookup` (a running node's NodeScope).
  [[nodiscard]] nlohmann::json evaluate(const KeyLookup& lookup) const;
  /// evaluate(lookup) without copying what the expression names: a string, array or object read
  /// from the lookup's values or the program is returned by reference; any other value is put in
  /// `storage` and that is returned.
  [[nodiscard]] const nlohmann::json& evaluate(const KeyLookup& lookup,
                                               nlohmann::json& storage) const;
  /// test() with top-level keys found through `lookup`.
  [[nodiscard]] bool test(const KeyLookup& lookup) const;

  /// The source text, as given to parse().
  [[nodiscard]] const std::string& text() const noexcept;
  /// The top-level context keys the expression reads, each once, in order of appearance.
  [[nodiscard]] std::vector<std::string> referenced_keys() const;

 private:
  explicit Expression(std::shared_ptr<const detail::Program> program) noexcept;

  std::shared_ptr<const detail::Program> program_;
};

/// False for null, false, 0, 0.0, "", [] and {}; true for everything else.
[[nodiscard]] bool truthy(const nlohmann::json& value) noexcept;

}  // namespace lg
