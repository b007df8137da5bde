// Limits and locks: a node's `concurrency`, and no lock held across node code (a long node
// beside short ones, in its own execution and in others).

#include <logic_graph/engine/exec/executor.hpp>

#include "support/composition_nodes.hpp"
#include "support/numbered.hpp"

#include <doctest/doctest.h>

#include <boost/asio/use_future.hpp>

#include <future>
#include <memory>
#include <string>
#include <vector>

using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using Json = nlohmann::json;
using lg::test::numbered;

namespace {

GraphDef one(Json node) {
  node["id"] = "n";
  return GraphDef::from_json({{"nodes", Json::array({node})}});
}

void wait_arrivals(const lg::test::World& world, int count) {
  while (world.arrived.load() < count) {
    std::this_thread::yield();
  }
}

}  // namespace

TEST_SUITE("limits") {
  TEST_CASE("concurrency: at most N runs of a node at once across executions" *
            doctest::timeout(120)) {
    auto world = std::make_shared<lg::test::World>();
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 4});
    Executor executor{one({{"type", "tracked"}, {"concurrency", 2}}),
                      lg::test::composition_registry(world),
                      {.runtime = runtime}};
    std::vector<std::future<ExecutionResult>> results;
    for (int i = 0; i < 10; ++i) {
      results.push_back(executor.async_execute(nullptr, boost::asio::use_future));
    }
    wait_arrivals(*world, 2);  // two inside, eight waiting for a place (4 threads free)
    world->released = true;
    int ok = 0;
    for (auto& result : results) {
      ok += result.get().context().get<bool>("n") == true ? 1 : 0;
    }
    CHECK(ok == 10);
    CHECK(world->most_running == 2);
    CHECK(world->passed == 10);
  }

  TEST_CASE("runs waiting for their limit hold no thread") {
    auto world = std::make_shared<lg::test::World>();
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    const auto registry = lg::test::composition_registry(world);
    Executor limited{one({{"type", "hold"}, {"concurrency", 1}}), registry, {.runtime = runtime}};
    Executor other{one({{"type", "rule"}, {"condition", "true"}}), registry, {.runtime = runtime}};
    std::vector<std::future<ExecutionResult>> queued;
    for (int i = 0; i < 6; ++i) {
      queued.push_back(limited.async_execute(nullptr, boost::asio::use_future));
    }
    wait_arrivals(*world, 1);
    // One run holds a thread, five wait for its place without one: the runtime's other thread
    // still runs an unrelated execution.
    CHECK(other.async_execute(nullptr, boost::asio::use_future).get().context().get<bool>("n") ==
          true);
    CHECK(world->arrived == 1);
    world->released = true;
    for (auto& result : queued) {
      CHECK(result.get().context().get<bool>("n") == true);
    }
    CHECK(world->passed == 6);
  }

  TEST_CASE("runs waiting for their limit leave the queue when their execution stops") {
    auto world = std::make_shared<lg::test::World>();
    Executor limited{one({{"type", "hold"}, {"concurrency", 1}}),
                     lg::test::composition_registry(world),
                     {.threads = 2}};
    auto first = limited.async_execute(nullptr, boost::asio::use_future);
    wait_arrivals(*world, 1);
    std::vector<std::future<ExecutionResult>> queued;
    for (int i = 0; i < 4; ++i) {
      queued.push_back(limited.async_execute(nullptr, boost::asio::use_future));
    }
    limited.cancel_all();
    for (auto& result : queued) {
      CHECK_THROWS_AS(result.get(), lg::ExecutionError);  // cancelled while they waited
    }
    world->released = true;
    CHECK_THROWS_AS(first.get(), lg::ExecutionError);  // cancelled too, after its node ran
    CHECK(world->passed == 1);
  }

  TEST_CASE("a bad concurrency is refused when the executor is built") {
    for (const Json& bad : {Json(0), Json(-1), Json("two"), Json(1.5)}) {
      CAPTURE(bad.dump());
      try {
        Executor executor{one({{"type", "rule"}, {"condition", "true"}, {"concurrency", bad}}),
                          lg::builtin_nodes()};
        FAIL("accepted");
      } catch (const lg::GraphError& e) {
        CHECK(std::string(e.what()).find("field 'concurrency': must be a positive integer") !=
              std::string::npos);
      }
    }
  }

  TEST_CASE("a long synchronous node does not hold up its execution's other commits" *
            doctest::timeout(120)) {
    // `slow` waits until the branch beside it has committed 1,000 nodes: the last of them lets
    // it go. A node holding a lock across its run would keep them from committing, and `slow`
    // would give up after 30 s with an error.
    auto world = std::make_shared<lg::test::World>();
    GraphDef graph;
    graph.node("start", "rule", {{"condition", "true"}}).node("slow", "hold");
    graph.edge("start", "slow");
    std::string previous = "start";
    for (int i = 0; i < 1000; ++i) {
      graph.node(numbered("short", i), "compute", {{"set", {{numbered("k", i), i}}}});
      graph.edge(previous, numbered("short", i));
      previous = numbered("short", i);
    }
    graph.node("last", "release").edge(previous, "last");
    Executor executor{graph, lg::test::composition_registry(world), {.threads = 2}};
    const ExecutionResult result = executor.run();
    CHECK(result.context().get<bool>("slow") == true);
    CHECK(result.context().get<int>("k999") == 999);
    CHECK(result.count(lg::NodeStatus::executed) == 1003);
  }

  TEST_CASE("a long synchronous node beside 1,000 short executions does not delay them" *
            doctest::timeout(120)) {
    auto world = std::make_shared<lg::test::World>();
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    const auto registry = lg::test::composition_registry(world);
    Executor slow{one({{"type", "hold"}}), registry, {.runtime = runtime}};
    Executor quick{
        GraphDef::from_json(
            {{"nodes", Json::array({{{"id", "a"}, {"type", "compute"}, {"set", {{"y", "x * 2"}}}},
                                    {{"id", "b"}, {"type", "rule"}, {"condition", "y >= 0"}}})},
             {"edges", Json::array({{{"from", "a"}, {"to", "b"}}})}}),
        registry,
        {.runtime = runtime}};
    auto held = slow.async_execute(nullptr, boost::asio::use_future);
    wait_arrivals(*world, 1);
    std::vector<std::future<ExecutionResult>> results;
    for (int i = 0; i < 1000; ++i) {
      results.push_back(quick.async_execute({{"x", i}}, boost::asio::use_future));
    }
    int ok = 0;
    for (int i = 0; i < 1000; ++i) {
      ok += results[i].get().context().get<int>("y") == 2 * i ? 1 : 0;
    }
    CHECK(ok == 1000);
    CHECK(world->passed == 0);  // all of them finished while `slow` still ran
    world->released = true;
    CHECK(held.get().context().get<bool>("n") == true);
  }
}
