#pragma once

#include <logic_graph/engine/node/node_error.hpp>

#include <nlohmann/json.hpp>

namespace lg::detail {

/// A node's error as a value, `{"message", "node", "kind"}`: what `try`'s fallback reads as
/// `error` and what `foreach` collects in a failed item's place.
[[nodiscard]] nlohmann::json error_value(const NodeError& error);

}  // namespace lg::detail
