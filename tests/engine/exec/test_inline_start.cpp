// async_execute on one of the runtime's own threads: the execution starts on the calling thread,
// its completion never runs inside the initiating call, and its deadline holds by the clock
// until the launch returns and by the timer after.

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node.hpp>

#include "support/execution_failure.hpp"
#include "support/held_graph.hpp"

#include <logic_graph/nodes/builtin_nodes.hpp>

#include <doctest/doctest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>

namespace asio = boost::asio;
using lg::ExecutionError;
using lg::ExecutionOptions;
using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using lg::NodeStatus;
using Json = nlohmann::json;

namespace {

// Runs until its execution is told to stop (for 60 s at most: a lost stop fails, never hangs).
struct UntilStoppedNode : lg::SyncNode {
  explicit UntilStoppedNode(const lg::NodeDef& def) : SyncNode(def.id, def.type) {}
  Json do_run(lg::NodeScope& scope) const override {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!scope.stop_requested()) {
      if (std::chrono::steady_clock::now() > give_up) {
        return "never stopped";
      }
      std::this_thread::yield();
    }
    return "stopped";
  }
};

lg::NodeRegistry registry_with_until_stopped() {
  lg::NodeRegistry registry = lg::builtin_nodes();
  registry.add("until_stopped",
               [](const lg::NodeDef& def) { return std::make_unique<UntilStoppedNode>(def); });
  return registry;
}

// The outcome of one async_execute awaited by a coroutine on the executor's own runtime.
std::tuple<std::exception_ptr, ExecutionResult> await_on_runtime(Executor& executor,
                                                                 ExecutionOptions options = {}) {
  auto outcome = asio::co_spawn(
      executor.get_executor(),
      [&]() -> asio::awaitable<std::tuple<std::exception_ptr, ExecutionResult>> {
        co_return co_await executor.async_execute(nullptr, std::move(options),
                                                  asio::as_tuple(asio::use_awaitable));
      },
      asio::use_future);
  return outcome.get();
}

}  // namespace

TEST_SUITE("executor") {
  TEST_CASE("started on a runtime thread, the completion comes after the initiating call") {
    GraphDef graph;
    graph.node("a", "compute", {{"set", {{"y", "1"}}}})
        .node("b", "rule", {{"condition", "y == 1"}});
    graph.edge("a", "b");
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    std::promise<bool> inside_when_called;
    bool inside = false;  // written and read on the runtime's threads, ordered by its queue
    asio::post(executor.get_executor(), [&] {
      inside = true;
      // A handler with an executor of its own: the start is inline.
      executor.async_execute(
          nullptr, asio::bind_executor(executor.get_executor(), [&](std::exception_ptr error,
                                                                    ExecutionResult result) {
            inside_when_called.set_value(inside || error ||
                                         result.count(NodeStatus::executed) != 2);
          }));
      inside = false;
    });
    CHECK_FALSE(inside_when_called.get_future().get());
  }

  TEST_CASE("executions started one from another's completion never nest on the stack") {
    // Each completion starts the next execution on the thread it runs on, inline. Completed
    // inside the initiating call, every one would run a few frames deeper than the one before.
    // A handler bound to an executor is deferred to after the running one, a plain callback is
    // posted.
    bool bound = true;
    SUBCASE("bound to the runtime's executor") {}
    SUBCASE("a plain callback") {
      bound = false;
    }
    GraphDef graph;
    graph.node("a", "rule", {{"condition", "true"}});
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    constexpr int total = 20'000;
    std::atomic<int> done{0};
    std::atomic<std::uintptr_t> deepest{0};  // bytes below the first completion on its thread
    std::promise<void> all_done;
    std::function<void()> next;
    const auto on_done = [&](std::exception_ptr error, const ExecutionResult&) {
      const char marker = 0;
      const auto here = reinterpret_cast<std::uintptr_t>(&marker);
      thread_local const std::uintptr_t first = here;
      const std::uintptr_t depth = first > here ? first - here : 0;
      if (depth > deepest.load()) {
        deepest.store(depth);
      }
      if (error || done.fetch_add(1) + 1 == total) {
        all_done.set_value();
        return;
      }
      next();
    };
    next = [&] {
      if (bound) {
        executor.async_execute(nullptr, asio::bind_executor(executor.get_executor(), on_done));
      } else {
        executor.async_execute(nullptr, on_done);
      }
    };
    asio::post(executor.get_executor(), next);
    all_done.get_future().get();
    CHECK(done.load() == total);
    CHECK(deepest.load() < 64 * 1024);
  }

  TEST_CASE("a node that waits on a future of an execution it starts is not left waiting") {
    // Started inline inside the node, the execution completes there; the future's handler has
    // no executor of its own, so its completion is posted, not deferred, and another thread
    // runs it while this one waits (deferred, it would wait for this thread for ever).
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    GraphDef inner_graph;
    inner_graph.node("a", "rule", {{"condition", "true"}});
    Executor inner{inner_graph, lg::builtin_nodes(), {.runtime = runtime}};
    struct WaitingNode : lg::SyncNode {
      WaitingNode(const lg::NodeDef& def, Executor& inner)
          : SyncNode(def.id, def.type), inner(&inner) {}
      Json do_run(lg::NodeScope&) const override {
        return inner->async_execute(nullptr, asio::use_future).get().count(NodeStatus::executed);
      }
      Executor* inner;
    };
    lg::NodeRegistry registry = lg::builtin_nodes();
    registry.add("waiting", [&inner](const lg::NodeDef& def) {
      return std::make_unique<WaitingNode>(def, inner);
    });
    GraphDef outer_graph;
    outer_graph.node("wait", "waiting", Json::object());
    Executor outer{outer_graph, registry, {.runtime = runtime}};
    auto [error, result] = await_on_runtime(outer);
    REQUIRE_FALSE(error);
    CHECK(result.context().get<std::int64_t>("wait") == 1);
  }

  TEST_CASE("a deadline holds for an execution started on a runtime thread") {
    const lg::NodeRegistry registry = registry_with_until_stopped();
    SUBCASE("a synchronous node sees it, and the nodes after it do not run") {
      GraphDef graph;
      graph.node("spin", "until_stopped", Json::object())
          .node("after", "rule", {{"condition", "true"}});
      graph.edge("spin", "after");
      Executor executor{graph, registry, {.threads = 2}};
      auto [error, result] =
          await_on_runtime(executor, {.deadline = std::chrono::milliseconds(20)});
      REQUIRE(error);
      CHECK(lg::test::kind_of(error) == ExecutionError::Kind::deadline);
      CHECK(result.context().get<std::string>("spin") == "stopped");
      CHECK(result.status("after") == NodeStatus::not_run);
    }
    SUBCASE("a node that suspends past it is cancelled by the timer") {
      Executor executor{lg::test::held_graph(60'000), registry, {.threads = 2}};
      auto [error, result] =
          await_on_runtime(executor, {.deadline = std::chrono::milliseconds(20)});
      REQUIRE(error);
      CHECK(lg::test::kind_of(error) == ExecutionError::Kind::deadline);
      CHECK(result.status("after") == NodeStatus::not_run);
    }
    SUBCASE("within it, suspending or not, the execution completes") {
      Executor executor{lg::test::held_graph(1), registry, {.threads = 2}};
      for (int i = 0; i < 50; ++i) {
        auto [error, result] = await_on_runtime(executor, {.deadline = std::chrono::seconds(60)});
        REQUIRE_FALSE(error);
        CHECK(result.count(NodeStatus::executed) == 2);
      }
    }
  }
}
