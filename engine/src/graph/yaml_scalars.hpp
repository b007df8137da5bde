#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

// YAML scalars as JSON values, typed as YAML 1.2's core schema types them (the schema
// rust-logic-graph's serde_yaml reads with: `yes` and `on` are strings).
namespace lg::detail {

/// A scalar as JSON, or the reason it has none. `tag` is yaml-cpp's: `?` for a plain scalar
/// (typed by its text: null, true/false, integers, floats, else a string), `!` for a quoted or
/// block one (always a string), or an explicit `tag:yaml.org,2002:` core tag.
struct YamlScalar {
  /// The value, when the scalar has one in JSON.
  std::optional<nlohmann::json> value;
  /// Why not, when it has none: an unknown tag, a number out of range, `.inf`, `.nan`.
  std::string problem;
};

/// The JSON value of the scalar `text` with yaml-cpp's tag `tag`. Integers are unsigned when
/// not negative, as nlohmann's JSON parser reads them, so that a graph reads the same from
/// YAML as from JSON; a decimal integer beyond 64 bits is a double, as in JSON.
[[nodiscard]] YamlScalar yaml_scalar(std::string_view tag, std::string_view text);

/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF),
/// as the JSON model requires of every string.
[[nodiscard]] bool is_utf8(std::string_view text) noexcept;

}  // namespace lg::detail
