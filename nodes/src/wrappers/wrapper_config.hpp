#pragma once

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

// What the wrapper node types read from their configs.
namespace lg::detail {

/// A wrapper's inner node, from its `node` field.
inline std::unique_ptr<Node> inner_node(const NodeBuild& build) {
  return build.create_inner(config::required_object(build.def(), "node"), "node");
}

/// A day: far beyond any wait a wrapper means, far below where the timer's nanoseconds overflow.
constexpr std::int64_t max_wait_ms = 24LL * 60 * 60 * 1000;

/// The field as milliseconds in [minimum, a day], or `fallback` when absent.
inline std::chrono::milliseconds wait_ms(const NodeDef& def, std::string_view field,
                                         std::int64_t fallback, std::int64_t minimum = 0) {
  const std::int64_t ms = config::optional_count(def, field, fallback);
  if (ms < minimum || ms > max_wait_ms) {
    throw ConfigError(std::string(field), "must be from " + std::to_string(minimum) + " to " +
                                              std::to_string(max_wait_ms) + " ms (a day), found " +
                                              std::to_string(ms));
  }
  return std::chrono::milliseconds(ms);
}

/// The state that a wrapper's runs share (a circuit, a cache): on the runtime under `kind` and
/// the node's `name` (else its place in the graph), so that every execution on the runtime, and
/// every node with that name, uses one; made by `make()` the first time. A node built outside
/// a runtime gets its own. `same(state)` tells whether an existing one has this node's settings.
template <class T, class Make, class Same>
std::shared_ptr<T> runtime_shared(const NodeBuild& build, std::string_view kind, Make make,
                                  Same same) {
  if (!build.runtime()) {
    return make();
  }
  const NodeDef& def = build.def();
  const std::string name =
      def.config.contains("name") ? config::required_string(def, "name") : build.where();
  std::shared_ptr<T> state = build.runtime()->shared<T>(std::string(kind) + ":" + name, make);
  if (!same(*state)) {
    throw ConfigError(
        "name", std::string(kind) + " '" + name + "' exists on this runtime with other settings");
  }
  return state;
}

}  // namespace lg::detail
