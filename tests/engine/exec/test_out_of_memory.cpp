// Running out of memory anywhere in an execution, on any thread: the k-th allocation after the
// start fails (std::bad_alloc) for every k up to past the execution's last allocation. Each
// execution must end in a result or an error, never a crash, an abort or a hang, and the engine
// must be whole afterwards (the next execution succeeds, nothing is left in flight; ASan checks
// that nothing leaks).

#include <logic_graph/engine/exec/executor.hpp>

#include "support/composition_nodes.hpp"

#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/memory/memory_profiler.hpp>
#include <logic_graph/memory/memory_reserve.hpp>

#include <doctest/doctest.h>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <new>

#include <string>

using lg::Executor;
using lg::GraphDef;
using Json = nlohmann::json;

namespace {

// A bit of everything that allocates: strings built by expressions, parallel nodes (helpers),
// an asynchronous node (coroutine, strand, timer), a wrapper with a write scope, a child graph.
GraphDef busy_graph() {
  return GraphDef::parse(R"json({
    "nodes": [
      {"id": "start", "type": "compute", "set": {"name": "'order-' + str(n)", "big": "[n, n, n]"}},
      {"id": "left", "type": "compute", "set": {"l": "name + '-left'"}},
      {"id": "right", "type": "retry", "node": {"type": "compute", "set": {"r": "len(big)"}}},
      {"id": "wait", "type": "delay", "ms": 0},
      {"id": "child", "type": "child", "input": {"x": "n"},
       "graph": {"nodes": [{"id": "twice", "type": "compute", "set": {"y": "x * 2"}}]}},
      {"id": "join", "type": "rule", "condition": "l != '' && r == 3 && child.y == n * 2"}
    ],
    "edges": [{"from": "start", "to": "left"}, {"from": "start", "to": "right"},
              {"from": "start", "to": "wait"}, {"from": "start", "to": "child"},
              {"from": "left", "to": "join"}, {"from": "right", "to": "join"},
              {"from": "wait", "to": "join"}, {"from": "child", "to": "join"}]
  })json");
}

enum class Outcome { succeeded, failed, threw };

// One execution with the allocation after the next `k` failing, armed for it alone.
Outcome run_failing_after(Executor& executor, std::uint64_t k, bool asynchronously) {
  const Json input = {{"n", 7}};
  Outcome outcome = Outcome::succeeded;
  lg::memory::inject_allocation_failure(k);
  try {
    if (asynchronously) {
      auto future = executor.async_execute(input, boost::asio::use_future);
      future.get();
    } else {
      executor.run(input);
    }
  } catch (const lg::ExecutionError&) {
    outcome = Outcome::failed;
  } catch (...) {
    outcome = Outcome::threw;  // std::bad_alloc out of run() or async_execute() itself
  }
  lg::memory::clear_allocation_failure();
  return outcome;
}

}  // namespace

TEST_SUITE("out of memory") {
  TEST_CASE("an allocation failing at any point of an execution, on any thread" *
            doctest::timeout(600)) {
    // Some failures land in destructors that allocate (nlohmann::json's): only a reserve makes
    // those survivable, as lgraph keeps one.
    lg::memory::reserve_memory(std::size_t{1} << 20);
    auto world = std::make_shared<lg::test::World>();
    Executor executor{busy_graph(), lg::test::composition_registry(world), {.threads = 2}};
    for (const bool asynchronously : {false, true}) {
      CAPTURE(asynchronously);
      // How many allocations one execution makes from a cold start: the sweep goes past it.
      lg::memory::set_exact_counting(true);
      const auto before = lg::memory::MemoryProfiler::snapshot();
      REQUIRE(run_failing_after(executor, 1'000'000'000, asynchronously) == Outcome::succeeded);
      const std::uint64_t per_execution =
          lg::memory::MemoryProfiler::snapshot().diff(before).allocations;
      lg::memory::set_exact_counting(false);
      int succeeded = 0;
      int failed = 0;
      int threw = 0;
      for (std::uint64_t k = 0; k <= per_execution + 20; ++k) {
        switch (run_failing_after(executor, k, asynchronously)) {
          case Outcome::succeeded:
            ++succeeded;
            break;
          case Outcome::failed:
            ++failed;
            break;
          case Outcome::threw:
            ++threw;
            break;
        }
        // Whatever happened, the engine is whole: nothing left in flight, the next one works.
        if (executor.in_flight() != 0) {
          executor.async_wait_idle(boost::asio::use_future).get();
        }
        const lg::ExecutionResult again = executor.run({{"n", 7}});
        if (again.context().get<bool>("join") != true) {
          FAIL("after a failure at allocation " << k << " the next execution went wrong");
        }
      }
      CHECK(lg::memory::restore_memory_reserve());
      MESSAGE(per_execution << " allocations per execution; failing each of them: " << succeeded
                            << " succeeded anyway, " << failed << " failed, " << threw
                            << " threw from the call");
      CHECK(succeeded + failed + threw == static_cast<int>(per_execution) + 21);
    }
  }

  TEST_CASE("a node that runs out of memory fails its execution, with or without a reserve") {
    struct Greedy final : lg::SyncNode {
      explicit Greedy(const lg::NodeDef& def) : SyncNode(def) {}
      nlohmann::json do_run(lg::NodeScope&) const override {
        // No heap has this much: malloc says no, the new-handler (if any) gives its reserve
        // back, and operator new still has to throw.
        // Through a volatile, or the optimiser may drop the pair of new and delete.
        static char* volatile block = nullptr;
        const std::size_t absurd = std::size_t{1} << 60;
        block = new char[absurd];
        delete[] block;
        return "impossible";
      }
    };
    struct GreedyLater final : lg::AsyncNode {
      explicit GreedyLater(const lg::NodeDef& def) : AsyncNode(def) {}
      boost::asio::awaitable<nlohmann::json> do_run(lg::NodeScope&) const override {
        co_await boost::asio::post(boost::asio::use_awaitable);
        throw std::bad_alloc();
      }
    };
    lg::NodeRegistry registry = lg::builtin_nodes();
    registry.add("greedy", [](const lg::NodeDef& def) { return std::make_unique<Greedy>(def); });
    registry.add("greedy_later",
                 [](const lg::NodeDef& def) { return std::make_unique<GreedyLater>(def); });
    for (const char* type : {"greedy", "greedy_later"}) {
      for (const bool with_reserve : {false, true}) {
        CAPTURE(type);
        CAPTURE(with_reserve);
        if (with_reserve) {
          lg::memory::reserve_memory(std::size_t{1} << 20);
        } else {
          std::set_new_handler(nullptr);
        }
        GraphDef graph;
        graph.node("first", "rule", {{"condition", "true"}}).node("hungry", type);
        graph.node("after", "rule", {{"condition", "true"}});
        graph.edge("first", "hungry").edge("hungry", "after");
        Executor executor{graph, registry, {.threads = 2}};
        try {
          executor.run();
          FAIL("it had the memory");
        } catch (const lg::ExecutionError& e) {
          CHECK(e.node_id() == "hungry");
          CHECK(std::string(e.what()) == "node 'hungry' failed: out of memory");
          CHECK_THROWS_AS(std::rethrow_exception(e.cause()), std::bad_alloc);
        }
        // The reserve comes back at the next node boundary; the next execution runs.
        GraphDef fine;
        fine.node("ok", "rule", {{"condition", "true"}});
        Executor next{fine, registry, {.threads = 2}};
        CHECK(next.run().context().get<bool>("ok") == true);
        CHECK_FALSE(lg::memory::memory_low());
      }
    }
    std::set_new_handler(nullptr);
  }
}
