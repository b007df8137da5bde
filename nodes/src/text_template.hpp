#pragma once

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_scope.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lg::detail {

/// A string with expressions in it: each `{{ EXPR }}` is replaced by the expression's value
/// when rendered (a string as it is, null as nothing, anything else as JSON).
class TextTemplate {
 public:
  /// How a value's text goes in (percent-encoding for a URL, say); as it is when empty.
  using Escape = std::function<std::string(std::string_view)>;

  TextTemplate() = default;
  /// Compiles `text`; ConfigError naming `field` (and the position) for an unclosed `{{` or an
  /// expression that does not compile.
  TextTemplate(std::string_view text, std::string_view field);

  /// The text with every expression's value in place, each escaped by `escape`.
  [[nodiscard]] std::string render(const NodeScope& scope, const Escape& escape = {}) const;
  /// True when the text has no expression (render() is the text itself).
  [[nodiscard]] bool is_literal() const noexcept { return expressions_.empty(); }
  /// The text as written.
  [[nodiscard]] const std::string& source() const noexcept { return source_; }

 private:
  std::string source_;
  std::vector<std::string> literals_;  // one more than expressions_: before, between, after
  std::vector<Expression> expressions_;
};

/// A value's text in a template: a string as it is, null as nothing, anything else as JSON.
[[nodiscard]] std::string template_text(const nlohmann::json& value);

}  // namespace lg::detail
