#pragma once

// Inner nodes for the wrapper tests, and an observer that keeps the notes nodes tell.

#include "nodes/node_run.hpp"
#include "support/composition_nodes.hpp"
#include "support/execution_failure.hpp"

#include <logic_graph/engine/observers/observer.hpp>

#include <fmt/format.h>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lg::test {

/// The composition registry plus:
/// - `async_flaky` {failures, kind}: suspends, writes `attempt_N`, then fails its first
///   `failures` runs (kind "failed": a runtime_error; "timed_out": a NodeError of that kind);
///   counted in World::flaky_runs; then returns the run's number;
/// - `busy` {ms}: a synchronous node that works (sleeps) `ms` ms, then returns true.
inline NodeRegistry wrapper_registry(const std::shared_ptr<World>& world) {
  NodeRegistry registry = composition_registry(world);
  struct AsyncFlaky final : AsyncNode {
    AsyncFlaky(const NodeDef& def, std::shared_ptr<World> w)
        : AsyncNode(def),
          world(std::move(w)),
          failures(config::optional_count(def, "failures", 1)),
          timed_out(def.config.value("kind", "failed") == "timed_out") {}
    boost::asio::awaitable<nlohmann::json> do_run(NodeScope& scope) const override {
      co_await boost::asio::post(scope.executor(), boost::asio::use_awaitable);
      const int run = world->flaky_runs.fetch_add(1) + 1;
      scope.set("attempt_" + std::to_string(run), run);
      if (run <= failures) {
        const std::string message = "async failure " + std::to_string(run);
        if (timed_out) {
          throw NodeError(NodeError::Kind::timed_out, std::string(scope.node_id()), message);
        }
        throw std::runtime_error(message);
      }
      co_return run;
    }
    std::shared_ptr<World> world;
    std::int64_t failures;
    bool timed_out;
  };
  registry.add("async_flaky",
               [world](const NodeDef& def) { return std::make_unique<AsyncFlaky>(def, world); });
  struct Busy final : SyncNode {
    explicit Busy(const NodeDef& def) : SyncNode(def), ms(config::optional_count(def, "ms", 1)) {}
    nlohmann::json do_run(NodeScope&) const override {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));  // the work, not a wait
      return true;
    }
    std::int64_t ms;
  };
  registry.add("busy", [](const NodeDef& def) { return std::make_unique<Busy>(def); });
  return registry;
}

/// Keeps every note told, as "what value detail".
class NoteRecorder final : public ExecutionObserver {
 public:
  void on_node_note(const NodeNote& note) override {
    const std::lock_guard guard(mutex_);
    // fmt, not operator+: GCC 12 at -O3 warns falsely (-Wrestrict) on string + " ".
    notes_.push_back(note.detail.empty()
                         ? fmt::format("{} {}", note.what, note.value)
                         : fmt::format("{} {} {}", note.what, note.value, note.detail));
  }
  std::vector<std::string> notes() const {
    const std::lock_guard guard(mutex_);
    return notes_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> notes_;
};

/// A `type` wrapper's config around `inner`, with the wrapper's own `options`.
inline nlohmann::json wrapper(std::string type, nlohmann::json inner,
                              nlohmann::json options = nlohmann::json::object()) {
  options["type"] = std::move(type);
  options["node"] = std::move(inner);
  return options;
}

}  // namespace lg::test
