#pragma once

#include <logic_graph/engine/node/node_registry.hpp>

namespace lg {

/// A registry holding every built-in node type:
/// - `rule`: `condition` (expression); the result is its truth value.
/// - `compute`: `set` (object of key -> expression); each value is written into the context,
///   keys that read other keys of the same `set` after those; the result is the object of values.
/// - `delay`: `ms` (an integer from 0 to a year, 31536000000); waits that long without holding
///   a thread.
[[nodiscard]] NodeRegistry builtin_nodes();

/// Adds the built-in node types to `registry`.
void register_builtin_nodes(NodeRegistry& registry);

}  // namespace lg
