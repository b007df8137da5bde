#include <logic_graph/engine/exec/runtime.hpp>

#include "support/composition_nodes.hpp"
#include "support/execution_failure.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/memory/memory_profiler.hpp>

#include <doctest/doctest.h>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <future>
#include <latch>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using lg::ExecutionError;
using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using lg::Runtime;
using lg::RuntimeOptions;
using Json = nlohmann::json;

namespace {

GraphDef gated(const std::string& gate) {
  return GraphDef::from_json(
      {{"nodes",
        Json::array({{{"id", "hold"}, {"type", "gate"}, {"gate", gate}},
                     {{"id", "after"}, {"type", "compute"}, {"set", {{"done", "hold"}}}}})},
       {"edges", Json::array({{{"from", "hold"}, {"to", "after"}}})}});
}

GraphDef small() {
  return GraphDef::from_json(
      {{"nodes", Json::array({{{"id", "a"}, {"type", "compute"}, {"set", {{"y", "x + 1"}}}}})}});
}

// Waits until every gate node of `world`'s gate `name` that `count` executions run has arrived.
void wait_arrivals(lg::test::World& world, const std::string& name, int count) {
  while (world.gate(name).arrivals() < count) {
    std::this_thread::yield();
  }
}

}  // namespace

TEST_SUITE("runtime") {
  TEST_CASE("executors share one runtime: its threads, context pool and execution ids") {
    auto runtime = std::make_shared<Runtime>(RuntimeOptions{.threads = 2});
    const auto registry = lg::builtin_nodes();
    Executor first{small(), registry, {.runtime = runtime}};
    Executor second{small(), registry, {.runtime = runtime}};
    CHECK(&first.runtime() == runtime.get());
    CHECK(&first.context_pool() == &runtime->context_pool());
    CHECK(&second.context_pool() == &runtime->context_pool());
    const ExecutionResult a = first.run({{"x", 1}});
    const ExecutionResult b = second.run({{"x", 2}});
    CHECK(a.context().get<int>("y") == 2);
    CHECK(b.context().get<int>("y") == 3);
    CHECK(a.id() != b.id());
    CHECK(runtime->concurrency() == 2);
  }

  TEST_CASE("an executor destroyed with executions in flight lets them finish (hot reload)") {
    auto world = std::make_shared<lg::test::World>();
    auto runtime = std::make_shared<Runtime>(RuntimeOptions{.threads = 2});
    std::vector<std::future<ExecutionResult>> results;
    {
      Executor old_version{
          gated("reload"), lg::test::composition_registry(world), {.runtime = runtime}};
      for (int i = 0; i < 8; ++i) {
        results.push_back(old_version.async_execute(nullptr, boost::asio::use_future));
      }
      wait_arrivals(*world, "reload", 8);
      CHECK(runtime->in_flight() == 8);
    }  // destroyed here, executions still waiting at the gate
    world->gate("reload").open();
    for (auto& result : results) {
      const ExecutionResult done = result.get();  // readable past the executor's end
      CHECK(done.context().get<bool>("done") == true);
      CHECK(done.status("after") == lg::NodeStatus::executed);
    }
    CHECK(runtime->in_flight() == 0);
  }

  TEST_CASE("max_inflight: executions beyond it are rejected at once") {
    auto world = std::make_shared<lg::test::World>();
    auto runtime = std::make_shared<Runtime>(RuntimeOptions{.threads = 2, .max_inflight = 3});
    Executor executor{gated("full"), lg::test::composition_registry(world), {.runtime = runtime}};
    std::vector<std::future<ExecutionResult>> admitted;
    for (int i = 0; i < 3; ++i) {
      admitted.push_back(executor.async_execute(nullptr, boost::asio::use_future));
    }
    std::promise<std::exception_ptr> rejected;
    executor.async_execute(nullptr, [&](std::exception_ptr error, ExecutionResult result) {
      CHECK_FALSE(result);
      rejected.set_value(std::move(error));
    });
    const std::exception_ptr error = rejected.get_future().get();
    REQUIRE(error);
    CHECK(lg::test::kind_of(error) == ExecutionError::Kind::rejected);
    CHECK(lg::describe(error).find("max_inflight") != std::string::npos);
    CHECK_THROWS_AS(executor.run(), ExecutionError);  // run() is rejected too
    world->gate("full").open();
    for (auto& result : admitted) {
      CHECK(result.get().context().get<bool>("done") == true);
    }
    CHECK(executor.run().context().get<bool>("done") == true);  // room again
  }

  TEST_CASE("cancel_all and async_wait_idle drain an executor and a runtime") {
    auto world = std::make_shared<lg::test::World>();
    auto runtime = std::make_shared<Runtime>(RuntimeOptions{.threads = 2});
    const auto registry = lg::test::composition_registry(world);
    Executor first{gated("never"), registry, {.runtime = runtime}};
    Executor second{gated("never"), registry, {.runtime = runtime}};
    std::vector<std::future<ExecutionResult>> results;
    for (int i = 0; i < 5; ++i) {
      results.push_back(first.async_execute(nullptr, boost::asio::use_future));
      results.push_back(second.async_execute(nullptr, boost::asio::use_future));
    }
    wait_arrivals(*world, "never", 10);
    CHECK(first.in_flight() == 5);
    CHECK(runtime->in_flight() == 10);
    auto first_idle = first.async_wait_idle(boost::asio::use_future);
    auto all_idle = runtime->async_wait_idle(boost::asio::use_future);
    first.cancel_all();
    first_idle.get();
    CHECK(first.in_flight() == 0);
    CHECK(second.in_flight() == 5);
    runtime->cancel_all();
    all_idle.get();
    CHECK(runtime->in_flight() == 0);
    int cancelled = 0;
    for (auto& result : results) {
      try {
        result.get();
      } catch (const ExecutionError& e) {
        cancelled += e.kind() == ExecutionError::Kind::cancelled ? 1 : 0;
        CHECK(e.node_id() == "hold");
      }
    }
    CHECK(cancelled == 10);
    first.async_wait_idle(boost::asio::use_future).get();  // idle already: completes at once
  }

  TEST_CASE("shutdown stops taking executions and waits for the ones in flight") {
    auto world = std::make_shared<lg::test::World>();
    auto runtime = std::make_shared<Runtime>(RuntimeOptions{.threads = 2});
    Executor executor{gated("slow"), lg::test::composition_registry(world), {.runtime = runtime}};
    auto running = executor.async_execute(nullptr, boost::asio::use_future);
    wait_arrivals(*world, "slow", 1);
    std::promise<void> returned;
    std::thread stopper([&] {
      runtime->shutdown();
      returned.set_value();
    });
    while (runtime->accepting()) {
      std::this_thread::yield();
    }
    std::promise<std::exception_ptr> late;
    executor.async_execute(nullptr, [&](std::exception_ptr error, ExecutionResult) {
      late.set_value(std::move(error));
    });
    CHECK(lg::test::kind_of(late.get_future().get()) == ExecutionError::Kind::rejected);
    auto waiting = returned.get_future();
    CHECK(waiting.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
    world->gate("slow").open();  // shutdown returns only after this execution completes
    waiting.get();
    stopper.join();
    CHECK(running.get().context().get<bool>("done") == true);
  }

  TEST_CASE("many executors on one runtime: steady state allocates nothing") {
    auto runtime = std::make_shared<Runtime>(RuntimeOptions{.threads = 2});
    std::vector<std::unique_ptr<Executor>> executors;
    for (int i = 0; i < 24; ++i) {
      executors.push_back(std::make_unique<Executor>(
          GraphDef::from_json(
              {{"nodes", Json::array({{{"id", "a"}, {"type", "rule"}, {"condition", "true"}},
                                      {{"id", "b"}, {"type", "rule"}, {"condition", "a"}}})},
               {"edges", Json::array({{{"from", "a"}, {"to", "b"}}})}}),
          lg::builtin_nodes(), lg::ExecutorOptions{.runtime = runtime}));
    }
    const auto run_all = [&](int rounds) {
      int ok = 0;
      for (int round = 0; round < rounds; ++round) {
        for (auto& executor : executors) {
          ok += executor->run().count(lg::NodeStatus::executed) == 2 ? 1 : 0;
        }
      }
      return ok;
    };
    CHECK(run_all(20) == 20 * 24);  // warms the pools of the threads that ran
    // Which worker runs what is up to the scheduler: on a loaded machine one of them may not
    // have run every executor yet. Each pool of each thread fills once, so a round that
    // allocates nothing comes within a bounded number of rounds; after it, nothing allocates.
    int warm_rounds = 0;
    for (bool quiet = false; !quiet && warm_rounds < 200; ++warm_rounds) {
      const auto start = lg::memory::MemoryProfiler::snapshot();
      run_all(5);
      quiet = lg::memory::MemoryProfiler::snapshot().diff(start).allocations == 0;
    }
    REQUIRE(warm_rounds < 200);
    const auto before = lg::memory::MemoryProfiler::snapshot();
    const int ok = run_all(100);
    const auto diff = lg::memory::MemoryProfiler::snapshot().diff(before);
    CHECK(ok == 100 * 24);
    CHECK(diff.allocations == 0);
  }

  TEST_CASE("shared objects: made once per key, from any number of threads") {
    lg::Runtime runtime{lg::RuntimeOptions{.threads = 1}};
    std::atomic<int> made{0};
    const auto make = [&] {
      made.fetch_add(1);
      return std::make_shared<int>(7);
    };
    std::vector<std::shared_ptr<int>> seen(8);
    {
      std::vector<std::jthread> threads;
      for (auto& slot : seen) {
        threads.emplace_back([&] { slot = runtime.shared<int>("answer", make); });
      }
    }
    CHECK(made == 1);
    for (const auto& object : seen) {
      CHECK(object == seen.front());
    }
    CHECK(runtime.shared<int>("other", make) != seen.front());
    CHECK_THROWS_WITH_AS(
        (void)runtime.shared<double>("answer", [] { return std::make_shared<double>(); }),
        "the runtime's shared object 'answer' has another type", std::logic_error);
  }

  TEST_CASE("run() inside a node, on a runtime thread, is refused: an error, never a hang") {
    auto runtime = std::make_shared<Runtime>(RuntimeOptions{.threads = 2});
    GraphDef child;
    child.node("c", "rule", {{"condition", "true"}});
    Executor inner{child, lg::builtin_nodes(), {.runtime = runtime}};
    struct RunsInner final : lg::SyncNode {
      RunsInner(const lg::NodeDef& def, Executor& inner) : SyncNode(def), inner(&inner) {}
      nlohmann::json do_run(lg::NodeScope&) const override {
        return inner->run().count(lg::NodeStatus::executed);
      }
      Executor* inner;
    };
    lg::NodeRegistry registry = lg::builtin_nodes();
    registry.add("runs_inner", [&inner](const lg::NodeDef& def) {
      return std::make_unique<RunsInner>(def, inner);
    });
    // After the delay (a suspending node) the next node runs on one of the runtime's threads.
    GraphDef outer;
    outer.node("wait", "delay", {{"ms", 1}}).node("n", "runs_inner").edge("wait", "n");
    Executor executor{outer, registry, {.runtime = runtime}};
    CHECK(inner.run().count(lg::NodeStatus::executed) == 1);  // from this thread: fine
    auto future = executor.async_execute(nullptr, boost::asio::use_future);
    std::string error;
    try {
      (void)future.get();
    } catch (const ExecutionError& e) {
      error = e.what();
    }
    CAPTURE(error);
    CHECK(error.find("node 'n' failed") != std::string::npos);
    CHECK(error.find("on one of the runtime's own threads") != std::string::npos);
  }
}
