#pragma once

// The node the executor benchmarks run: it does nothing, so what is measured is the engine.

#include <logic_graph/engine/node/node.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <memory>

namespace lg::bench {

class NoOp final : public SyncNode {
 public:
  explicit NoOp(const NodeDef& def) : SyncNode(def) {}

 protected:
  nlohmann::json do_run(NodeScope&) const override { return nullptr; }
};

/// Adds the no-op node to `registry` as type "noop".
inline void add_noop(NodeRegistry& registry) {
  registry.add("noop", [](const NodeDef& def) { return std::make_unique<NoOp>(def); });
}

}  // namespace lg::bench
