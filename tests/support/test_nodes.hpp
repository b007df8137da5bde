#pragma once

#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_registry.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace lg::test {

/// Records the order nodes ran in: each run takes the next number and returns it.
struct Sequence {
  std::atomic<std::int64_t> next{0};
};

/// Several nodes wait here until `expected` have arrived: they can only all get through if they
/// run at the same time. Bounded, so a failure ends as a failed node rather than a hang.
struct Rendezvous {
  explicit Rendezvous(int expected) : expected(expected) {}
  bool arrive_and_wait() {
    std::unique_lock lock(mutex);
    if (++arrived >= expected) {
      all_here.notify_all();
      return true;
    }
    return all_here.wait_for(lock, std::chrono::seconds(30), [&] { return arrived >= expected; });
  }
  int expected;
  int arrived = 0;
  std::mutex mutex;
  std::condition_variable all_here;
};

/// The built-in types plus `sequence` (returns its turn), `rendezvous` (waits for the others),
/// `throw` (fails with `message`).
inline NodeRegistry test_registry(std::shared_ptr<Sequence> sequence = std::make_shared<Sequence>(),
                                  std::shared_ptr<Rendezvous> rendezvous = nullptr) {
  struct SequenceNode : SyncNode {
    SequenceNode(const NodeDef& def, std::shared_ptr<Sequence> s)
        : SyncNode(def.id, def.type), sequence(std::move(s)) {}
    nlohmann::json do_run(NodeScope&) const override { return sequence->next.fetch_add(1); }
    std::shared_ptr<Sequence> sequence;
  };
  struct RendezvousNode : SyncNode {
    RendezvousNode(const NodeDef& def, std::shared_ptr<Rendezvous> r)
        : SyncNode(def.id, def.type), rendezvous(std::move(r)) {}
    nlohmann::json do_run(NodeScope&) const override {
      if (!rendezvous->arrive_and_wait()) {
        throw std::runtime_error("the other nodes never arrived");
      }
      return true;
    }
    std::shared_ptr<Rendezvous> rendezvous;
  };
  struct ThrowNode : SyncNode {
    explicit ThrowNode(const NodeDef& def)
        : SyncNode(def.id, def.type), message(config::required_string(def, "message")) {}
    nlohmann::json do_run(NodeScope&) const override { throw std::runtime_error(message); }
    std::string message;
  };
  NodeRegistry registry = builtin_nodes();
  registry.add("sequence", [sequence](const NodeDef& def) {
    return std::make_unique<SequenceNode>(def, sequence);
  });
  registry.add("rendezvous", [rendezvous](const NodeDef& def) {
    return std::make_unique<RendezvousNode>(def, rendezvous);
  });
  registry.add("throw", [](const NodeDef& def) { return std::make_unique<ThrowNode>(def); });
  return registry;
}

}  // namespace lg::test
