#pragma once

#include <logic_graph/engine/node/node_registry.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace lg::detail {

/// One `key: expression` of a node's `set` or `then`.
struct Assignment {
  std::string key;
  Expression value;
};

/// The object in `field` of the node's config as assignments, in dependency order: a key that
/// reads another key of the object comes after it (a key may read its own previous value).
/// Throws ConfigError for a key that is a node id, a bad expression, or keys that read each
/// other in a cycle.
[[nodiscard]] std::vector<Assignment> read_assignments(const NodeBuild& build,
                                                       std::string_view field);

/// Evaluates each assignment in order, writing its value into `scope` (so the next ones read
/// it).
void write(NodeScope& scope, const std::vector<Assignment>& assignments);
/// Evaluates each assignment in order, writing its value into `scope` (so the next ones read
/// it); the result is the object of the values.
nlohmann::json assign(NodeScope& scope, const std::vector<Assignment>& assignments);

}  // namespace lg::detail
