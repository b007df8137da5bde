#pragma once

// Node types built on the node contract the way wrapper and graph nodes are: each is a short
// class that composes with any other node without knowing it. Used by the engine's tests.

#include "support/gate.hpp"
#include "support/test_nodes.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_error.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace lg::test {

/// Shared by the nodes of a test: gates by name, a latch, counters.
struct World {
  std::map<std::string, std::shared_ptr<Gate>, std::less<>> gates;
  std::atomic<int> flaky_runs{0};
  std::atomic<int> running{0};        // `tracked` runs inside now
  std::atomic<int> most_running{0};   // ... at most, so far
  std::atomic<int> arrived{0};        // `hold` and `tracked` runs that reached their wait
  std::atomic<bool> released{false};  // set by `release` (or the test): the waits end
  std::atomic<int> passed{0};         // runs that got through their wait

  Gate& gate(const std::string& name) {
    auto& gate = gates[name];
    if (!gate) {
      gate = std::make_shared<Gate>();
    }
    return *gate;
  }
};

/// `wrap`: runs `node` and gives its result: completes inline around an inline node.
class PassThrough final : public Node {
 public:
  PassThrough(const NodeDef& def, std::unique_ptr<Node> inner)
      : Node(def, inner->may_suspend()), inner_(std::move(inner)) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override { return inner_->start(scope); }

 private:
  std::unique_ptr<Node> inner_;
};

/// `child`: runs `graph` (an inline graph definition) with `input` (key -> expression) on the
/// same runtime; its result is the child's final context.
class ChildGraph final : public Node {
 public:
  ChildGraph(const NodeBuild& build)
      : Node(build.def(), true),
        child_(build.compile(GraphDef::from_json(config::required_object(build.def(), "graph"),
                                                 build.def().id + ".graph"),
                             "graph")) {
    if (const auto input = build.def().config.find("input"); input != build.def().config.end()) {
      for (const auto& [key, text] : input->items()) {
        inputs_.emplace_back(key, config::expression(text.get<std::string>(), "input." + key));
      }
    }
  }

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    nlohmann::json input = nlohmann::json::object();
    for (const auto& [key, expression] : inputs_) {
      input[key] = scope.evaluate(expression);
    }
    GraphRun run = scope.start_graph(*child_, std::move(input));
    if (run.ready()) {
      return run.result().to_json();  // ran inline: no coroutine at all
    }
    return finish(std::move(run));
  }

 private:
  static boost::asio::awaitable<nlohmann::json> finish(GraphRun run) {
    ExecutionResult result = co_await run.wait();
    co_return result.to_json();
  }

  std::shared_ptr<Executor> child_;
  std::vector<std::pair<std::string, Expression>> inputs_;
};

/// The node types of the composition tests, over the built-in ones and test_registry()'s:
/// - `wrap` {node}, `child` {graph, input} (and the built-in `retry`);
/// - `gate` {gate}: waits (asynchronously) until World::gate(name) opens; result true;
/// - `flaky` {failures}: fails its first `failures` runs (counted in World::flaky_runs), each
///   after writing `attempt_N`; then writes `ok` and returns the run's number;
/// - `stop_poll`: a synchronous node that runs until its execution is stopping;
/// - `hold`: a synchronous node that waits until World::released (30 s at most, then fails);
/// - `tracked`: `hold`, counted in World::running and most_running while it waits;
/// - `release`: sets World::released.
inline NodeRegistry composition_registry(std::shared_ptr<World> world) {
  NodeRegistry registry = test_registry();
  registry.add("wrap", [](const NodeBuild& build) {
    return std::make_unique<PassThrough>(
        build.def(), build.create_inner(config::required_object(build.def(), "node"), "node"));
  });
  registry.add("child", [](const NodeBuild& build) { return std::make_unique<ChildGraph>(build); });

  struct GateNode final : AsyncNode {
    GateNode(const NodeDef& def, std::shared_ptr<World> w)
        : AsyncNode(def), world(std::move(w)), name(config::required_string(def, "gate")) {
      world->gate(name);  // made while building: tests look it up before executions start
    }
    boost::asio::awaitable<nlohmann::json> do_run(NodeScope&) const override {
      co_await world->gates.at(name)->async_wait(boost::asio::use_awaitable);
      co_return true;
    }
    std::shared_ptr<World> world;
    std::string name;
  };
  registry.add("gate",
               [world](const NodeDef& def) { return std::make_unique<GateNode>(def, world); });

  struct Flaky final : SyncNode {
    Flaky(const NodeDef& def, std::shared_ptr<World> w)
        : SyncNode(def),
          world(std::move(w)),
          failures(config::optional_count(def, "failures", 1)) {}
    nlohmann::json do_run(NodeScope& scope) const override {
      const int run = world->flaky_runs.fetch_add(1) + 1;
      scope.set("attempt_" + std::to_string(run), run);
      if (run <= failures) {
        throw std::runtime_error("flaky failure " + std::to_string(run));
      }
      scope.set("ok", true);
      return run;
    }
    std::shared_ptr<World> world;
    std::int64_t failures;
  };
  registry.add("flaky",
               [world](const NodeDef& def) { return std::make_unique<Flaky>(def, world); });

  struct StopPoll final : SyncNode {
    explicit StopPoll(const NodeDef& def) : SyncNode(def) {}
    nlohmann::json do_run(NodeScope& scope) const override {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (!scope.stop_requested()) {
        if (std::chrono::steady_clock::now() > give_up) {
          throw std::runtime_error("never asked to stop");
        }
        std::this_thread::yield();
      }
      return "stopped";
    }
  };
  registry.add("stop_poll", [](const NodeDef& def) { return std::make_unique<StopPoll>(def); });

  struct HoldNode final : SyncNode {
    HoldNode(const NodeDef& def, std::shared_ptr<World> w, bool track)
        : SyncNode(def), world(std::move(w)), tracked(track) {}
    nlohmann::json do_run(NodeScope&) const override {
      if (tracked) {
        const int now = world->running.fetch_add(1) + 1;
        for (int most = world->most_running.load(); now > most;) {
          world->most_running.compare_exchange_weak(most, now);
        }
      }
      world->arrived.fetch_add(1);
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      bool released = true;
      while (!world->released.load()) {
        if (std::chrono::steady_clock::now() > give_up) {
          released = false;
          break;
        }
        std::this_thread::yield();
      }
      if (tracked) {
        world->running.fetch_sub(1);
      }
      if (!released) {
        throw std::runtime_error("never released");
      }
      world->passed.fetch_add(1);
      return true;
    }
    std::shared_ptr<World> world;
    bool tracked;
  };
  registry.add("hold", [world](const NodeDef& def) {
    return std::make_unique<HoldNode>(def, world, false);
  });
  registry.add("tracked", [world](const NodeDef& def) {
    return std::make_unique<HoldNode>(def, world, true);
  });
  struct ReleaseNode final : SyncNode {
    ReleaseNode(const NodeDef& def, std::shared_ptr<World> w)
        : SyncNode(def), world(std::move(w)) {}
    nlohmann::json do_run(NodeScope&) const override {
      world->released.store(true);
      return true;
    }
    std::shared_ptr<World> world;
  };
  registry.add("release",
               [world](const NodeDef& def) { return std::make_unique<ReleaseNode>(def, world); });
  return registry;
}

}  // namespace lg::test
