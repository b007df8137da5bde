#include "text_template.hpp"

#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

namespace lg::detail {

TextTemplate::TextTemplate(std::string_view text, std::string_view field) : source_(text) {
  std::size_t at = 0;
  while (true) {
    const std::size_t open = text.find("{{", at);
    if (open == std::string_view::npos) {
      literals_.emplace_back(text.substr(at));
      return;
    }
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      throw ConfigError(std::string(field),
                        fmt::format("'{{{{' at position {} has no closing '}}}}'", open + 1));
    }
    const std::string_view inner = text.substr(open + 2, close - open - 2);
    if (inner.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      throw ConfigError(std::string(field),
                        fmt::format("'{{{{ }}}}' at position {} holds no expression", open + 1));
    }
    literals_.emplace_back(text.substr(at, open - at));
    try {
      expressions_.push_back(config::expression(inner, field));
    } catch (const ConfigError& error) {
      throw ConfigError(error.field(),
                        fmt::format("the expression at position {}: {}", open + 3, error.reason()));
    }
    at = close + 2;
  }
}

std::string TextTemplate::render(const NodeScope& scope, const Escape& escape) const {
  if (expressions_.empty()) {
    return literals_.front();
  }
  std::string text = literals_.front();
  for (std::size_t i = 0; i < expressions_.size(); ++i) {
    const std::string value = template_text(scope.evaluate(expressions_[i]));
    text += escape ? escape(value) : value;
    text += literals_[i + 1];
  }
  return text;
}

std::string template_text(const nlohmann::json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return {};
  }
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lg::detail
