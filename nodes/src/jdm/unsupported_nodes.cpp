#include "jdm/jdm_nodes.hpp"

#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <string>

namespace lg::jdm {

// JDM node kinds this library does not run itself. A user who has a runtime for them registers
// a node type of the same name in place of these (NodeRegistry::replace).
void register_unsupported_nodes(NodeRegistry& registry) {
  const auto refuse = [](std::string kind, std::string why) {
    return [kind, why](const NodeDef& def) -> std::unique_ptr<Node> {
      throw ConfigError("type", fmt::format("JDM node '{}': a {} is not supported ({}); register "
                                            "a node type '{}' to run it",
                                            def.config.value("name", ""), kind, why, kind));
    };
  };
  registry.add("functionNode", refuse("functionNode", "it runs JavaScript"));
  registry.add("customNode", refuse("customNode", "its kind is the application's"));
}

}  // namespace lg::jdm
