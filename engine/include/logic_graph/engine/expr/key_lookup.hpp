#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace lg {

/// Where an expression's paths start: finds the value of a top-level key. A Context is one
/// source (Expression::evaluate(ctx)); a running node's NodeScope is another (its own writes
/// over the context as the node found it).
class KeyLookup {
 public:
  /// The value under `key`, or nullptr; valid while the lookup's source is unchanged.
  [[nodiscard]] virtual const nlohmann::json* find(std::string_view key) const noexcept = 0;

 protected:
  KeyLookup() = default;
  KeyLookup(const KeyLookup&) = default;
  KeyLookup& operator=(const KeyLookup&) = default;
  ~KeyLookup() = default;
};

}  // namespace lg
