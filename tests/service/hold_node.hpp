#pragma once

// `hold`: a node that says it arrived, then waits until the test opens its gate. Requests are
// thereby in flight exactly when the test wants them, without timers.

#include "support/gate.hpp"
#include "support/test_nodes.hpp"

#include <logic_graph/engine/node/node.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <semaphore>

namespace lg::test {

struct Holds {
  Gate gate;
  std::counting_semaphore<1024> arrived{0};
};

/// test_registry()'s types (built-in ones, `throw`, ...) and `hold`.
inline NodeRegistry hold_registry(std::shared_ptr<Holds> holds) {
  struct HoldNode final : AsyncNode {
    HoldNode(const NodeDef& def, std::shared_ptr<Holds> h) : AsyncNode(def), holds(std::move(h)) {}
    boost::asio::awaitable<nlohmann::json> do_run(NodeScope&) const override {
      holds->arrived.release();
      co_await holds->gate.async_wait(boost::asio::use_awaitable);
      co_return "released";
    }
    std::shared_ptr<Holds> holds;
  };
  NodeRegistry registry = test_registry();
  registry.add("hold",
               [holds](const NodeDef& def) { return std::make_unique<HoldNode>(def, holds); });
  return registry;
}

/// A graph of one `hold` node.
inline const char* const held_graph_json =
    R"({"name": "held", "nodes": [{"id": "wait", "type": "hold"}], "edges": []})";

}  // namespace lg::test
