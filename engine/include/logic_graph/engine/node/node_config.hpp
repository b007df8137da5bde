#pragma once

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

// Readers for node configs, for node factories: each throws ConfigError naming the field.
namespace lg::config {

/// The field's string value; `field` must be present.
[[nodiscard]] std::string required_string(const NodeDef& def, std::string_view field);
/// The field's object value; `field` must be present.
[[nodiscard]] const nlohmann::json& required_object(const NodeDef& def, std::string_view field);
/// The field's non-negative integer value, or `fallback` when absent.
[[nodiscard]] std::int64_t optional_count(const NodeDef& def, std::string_view field,
                                          std::int64_t fallback);
/// The field compiled as an expression; `field` must be present (a string, or a JSON literal
/// such as true or 3, which is taken as its own text).
[[nodiscard]] Expression required_expression(const NodeDef& def, std::string_view field);
/// `text` compiled as an expression, errors naming `field`.
[[nodiscard]] Expression expression(std::string_view text, std::string_view field);
/// A config value compiled as an expression: a string, or a JSON literal taken as its own text;
/// errors naming `field`.
[[nodiscard]] Expression expression_value(const nlohmann::json& value, std::string_view field);
/// Throws ConfigError for the first field of the config not in `known` (`description`,
/// `rust_type` and `concurrency` are allowed everywhere).
void allow_only(const NodeDef& def, std::initializer_list<std::string_view> known);
/// As above, for a list built at run time (a node type made of shared parts, each with its
/// fields).
void allow_only(const NodeDef& def, std::span<const std::string_view> known);

}  // namespace lg::config
