#include "nodes/node_run.hpp"
#include "nodes/wrapper_support.hpp"
#include "support/execution_failure.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <boost/asio/use_future.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using lg::Executor;
using lg::test::build_error;
using lg::test::graph_of;
using lg::test::one_node_graph;
using lg::test::World;
using Json = nlohmann::json;

using lg::test::failure_message;

namespace {

Json foreach (Json fields) {
  return lg::test::typed("foreach", std::move(fields));
}

// The test nodes, plus:
// - `in_flight` {gate}: suspends until the gate opens, counted in World::running (and
//   most_running, arrived) meanwhile; gives its `item`;
// - `fail_or_wait`: item 0 waits for gate "go" and then fails; any other is `in_flight` on gate
//   "never", which no test opens (its wait ends when it is cancelled).
lg::NodeRegistry registry(const std::shared_ptr<World>& world) {
  lg::NodeRegistry registry = lg::test::wrapper_registry(world);
  struct InFlight final : lg::AsyncNode {
    InFlight(const lg::NodeDef& def, std::shared_ptr<World> w, bool fail_first)
        : AsyncNode(def),
          world(std::move(w)),
          gate(def.config.value("gate", "never")),
          fail_first(fail_first) {
      world->gate(gate);
      world->gate("go");
    }
    boost::asio::awaitable<Json> do_run(lg::NodeScope& scope) const override {
      const Json item = scope.read("item");
      if (fail_first && item == 0) {
        co_await world->gates.at("go")->async_wait(boost::asio::use_awaitable);
        throw std::runtime_error("item zero fails");
      }
      const int now = world->running.fetch_add(1) + 1;
      for (int most = world->most_running.load(); now > most;) {
        world->most_running.compare_exchange_weak(most, now);
      }
      world->arrived.fetch_add(1);
      struct Leave {
        World& world;
        ~Leave() { world.running.fetch_sub(1); }
      } leave{*world};
      co_await world->gates.at(gate)->async_wait(boost::asio::use_awaitable);
      co_return item;
    }
    std::shared_ptr<World> world;
    std::string gate;
    bool fail_first;
  };
  registry.add("in_flight", [world](const lg::NodeDef& def) {
    return std::make_unique<InFlight>(def, world, false);
  });
  registry.add("fail_or_wait", [world](const lg::NodeDef& def) {
    return std::make_unique<InFlight>(def, world, true);
  });
  return registry;
}

// Spins (no sleep) until `done()`, 30 s at most; false when it never came.
template <class Done>
bool eventually(Done done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) {
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

// An execution started with async_execute, its outcome read in the completion handler (an
// exception is never handed across threads).
struct Outcome {
  std::mutex mutex;
  std::condition_variable done;
  bool ended = false;
  std::string error;  // empty: it succeeded
  Json context;
  int running_at_end = -1;

  void start(Executor& executor, Json input, const World* world = nullptr) {
    executor.async_execute(std::move(input),
                           [this, world](std::exception_ptr e, lg::ExecutionResult result) {
                             const std::lock_guard guard(mutex);
                             error = e ? lg::describe(e) : "";
                             context = e ? Json() : result.to_json();
                             running_at_end = world != nullptr ? world->running.load() : -1;
                             ended = true;
                             done.notify_one();
                           });
  }
  void wait() {
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return ended; });
  }
};

const Json square = graph_of(
    {{{"id", "sq"}, {"type", "compute"}, {"set", {{"y", "item * item + offset + index"}}}}});

}  // namespace

TEST_SUITE("foreach node") {
  TEST_CASE("runs the child per item, in order, the child reads as, index_as and input") {
    Executor executor{one_node_graph(foreach ({{"items", "xs"},
                                               {"graph", square},
                                               {"input", {{"offset", "base * 10"}}},
                                               {"output", "y"}})),
                      lg::builtin_nodes(),
                      {.threads = 2}};
    const Json ctx = executor.run({{"xs", {1, 2, 3, 4}}, {"base", 1}}).to_json();
    CHECK(ctx.at("n") == Json{11, 15, 21, 29});
    CHECK(executor.run({{"xs", Json::array()}, {"base", 1}}).to_json().at("n") == Json::array());
    const Json renamed = graph_of({{{"id", "c"}, {"type", "compute"}, {"set", {{"y", "x + i"}}}}});
    Executor keyed{one_node_graph(foreach ({{"items", "xs"},
                                            {"as", "x"},
                                            {"index_as", "i"},
                                            {"graph", renamed},
                                            {"output", "y"}})),
                   lg::builtin_nodes(),
                   {.threads = 2}};
    CHECK(keyed.run({{"xs", {10, 20}}}).to_json().at("n") == Json{10, 21});
  }

  TEST_CASE("without output an item's value is its child's final context") {
    Executor executor{
        one_node_graph(foreach ({{"items", "xs"}, {"graph", square}, {"input", {{"offset", 0}}}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    const Json values = executor.run({{"xs", {3}}}).to_json().at("n");
    REQUIRE(values.size() == 1);
    CHECK(values[0].at("y") == 9);
    CHECK(values[0].at("item") == 3);
    CHECK(values[0].at("index") == 0);
    CHECK(values[0].at("offset") == 0);
  }

  TEST_CASE("an inline node runs per item, and composes with wrapper fields") {
    Executor executor{
        one_node_graph(foreach (
            {{"items", "xs"}, {"node", {{"type", "compute"}, {"set", {{"y", "item * 2"}}}}}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    CHECK(executor.run({{"xs", {1, 2}}}).to_json().at("n") ==
          Json{{{"y", 2}}, {{"y", 4}}});  // the node's result, compute's values
    auto world = std::make_shared<World>();
    Executor retried{
        one_node_graph(
            foreach ({{"items", "xs"},
                      {"node", {{"type", "flaky"}, {"failures", 1}, {"retry", {{"attempts", 2}}}}},
                      {"output", "node"}})),
        registry(world),
        {.threads = 2}};
    CHECK(retried.run({{"xs", {"a", "b"}}}).to_json().at("n") == Json{2, 3});
    CHECK(world->flaky_runs == 3);  // the first item's first attempt failed, and was retried
  }

  TEST_CASE("a child graph from a file, relative to the parent graph's file") {
    const auto dir =
        std::filesystem::temp_directory_path() / fmt::format("lg_foreach_{}", ::getpid());
    std::filesystem::create_directories(dir / "parts");
    std::ofstream(dir / "parts" / "square.json") << square.dump();
    std::ofstream(dir / "main.json")
        << graph_of(Json::array({foreach ({{"id", "each"},
                                           {"items", "xs"},
                                           {"file", "parts/square.json"},
                                           {"input", {{"offset", 1}}},
                                           {"output", "y"}})}))
               .dump();
    Executor executor{lg::GraphDef::load(dir / "main.json"), lg::builtin_nodes(), {.threads = 2}};
    CHECK(executor.run({{"xs", {2, 3}}}).to_json().at("each") == Json{5, 11});
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("suspending children keep the order, at most `concurrency` in flight" *
            doctest::timeout(60)) {
    for (const int limit : {1, 2, 3}) {
      CAPTURE(limit);
      auto world = std::make_shared<World>();
      Executor executor{one_node_graph(foreach ({{"items", "xs"},
                                                 {"node", {{"type", "in_flight"}, {"gate", "g"}}},
                                                 {"concurrency", limit}})),
                        registry(world),
                        {.threads = 4}};
      Outcome outcome;
      outcome.start(executor, {{"xs", {"a", "b", "c", "d", "e", "f", "g"}}});
      // `limit` children wait at the gate at once, on real threads; the others wait their turn.
      REQUIRE(eventually([&] { return world->arrived.load() == limit; }));
      world->gate("g").open();
      outcome.wait();
      CHECK(outcome.error == "");
      CHECK(outcome.context.at("n") == Json{"a", "b", "c", "d", "e", "f", "g"});
      CHECK(world->most_running == limit);
      CHECK(world->arrived == 7);
    }
  }

  TEST_CASE("without concurrency, as many at once as the runtime has threads" *
            doctest::timeout(60)) {
    auto world = std::make_shared<World>();
    Executor executor{one_node_graph(foreach (
                          {{"items", "xs"}, {"node", {{"type", "in_flight"}, {"gate", "g"}}}})),
                      registry(world),
                      {.threads = 3}};
    Outcome outcome;
    outcome.start(executor, {{"xs", {1, 2, 3, 4, 5, 6}}});
    REQUIRE(eventually([&] { return world->arrived.load() == 3; }));
    world->gate("g").open();
    outcome.wait();
    CHECK(outcome.context.at("n") == Json{1, 2, 3, 4, 5, 6});
    CHECK(world->most_running == 3);
  }

  TEST_CASE("its concurrency is items at once, not a limit on the node's runs" *
            doctest::timeout(60)) {
    // Two executions, each a foreach with concurrency 1 over synchronous children that hold
    // their thread until released: both children are inside at once.
    auto world = std::make_shared<World>();
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 4});
    Executor executor{one_node_graph(foreach (
                          {{"items", "xs"}, {"node", {{"type", "tracked"}}}, {"concurrency", 1}})),
                      registry(world),
                      {.runtime = runtime}};
    auto first = executor.async_execute({{"xs", {1, 2}}}, boost::asio::use_future);
    auto second = executor.async_execute({{"xs", {1, 2}}}, boost::asio::use_future);
    CHECK(eventually([&] { return world->most_running.load() == 2; }));
    world->released = true;
    CHECK(first.get().to_json().at("n") == Json{true, true});
    CHECK(second.get().to_json().at("n") == Json{true, true});
  }

  TEST_CASE("a failure fails the node, the other children are cancelled and ended first" *
            doctest::timeout(60)) {
    auto world = std::make_shared<World>();
    Executor executor{
        one_node_graph(
            foreach ({{"items", "xs"}, {"node", {{"type", "fail_or_wait"}}}, {"concurrency", 3}})),
        registry(world),
        {.threads = 2}};
    Outcome outcome;
    outcome.start(executor, {{"xs", {0, 1, 2, 3, 4}}}, world.get());
    REQUIRE(eventually([&] { return world->arrived.load() == 2; }));  // items 1 and 2 wait
    world->gate("go").open();                                         // item 0 fails
    outcome.wait();
    CAPTURE(outcome.error);
    CHECK(outcome.error.find("node 'n' failed: node 'n[0]/node' failed: item zero fails") !=
          std::string::npos);
    CHECK(outcome.running_at_end == 0);  // no child was still running when the node failed
    CHECK(world->arrived == 2);          // and none started after the failure
  }

  TEST_CASE("a synchronous failure names the item's path, through nested foreach") {
    const Json divide =
        graph_of({{{"id", "div"}, {"type", "compute"}, {"set", {{"r", "1 / item"}}}}});
    Executor executor{one_node_graph(foreach ({{"items", "xs"}, {"graph", divide}})),
                      lg::builtin_nodes(),
                      {.threads = 2}};
    std::string error = failure_message(executor, {{"xs", {1, 0}}});
    CAPTURE(error);
    CHECK(error.find("node 'n[1]/div' failed: ") != std::string::npos);
    CHECK(error.find("division by zero") != std::string::npos);
    const Json inner =
        graph_of(Json::array({foreach ({{"id", "inner"}, {"items", "item"}, {"graph", divide}})}));
    Executor nested{one_node_graph(foreach ({{"items", "xs"}, {"graph", inner}})),
                    lg::builtin_nodes(),
                    {.threads = 2}};
    error = failure_message(nested, {{"xs", {{1, 2}, {3, 0}}}});
    CHECK(error.find("node 'n[1]/inner[1]/div' failed: ") != std::string::npos);
  }

  TEST_CASE("on_error collect puts each failure in its item's place") {
    const Json divide =
        graph_of({{{"id", "div"}, {"type", "compute"}, {"set", {{"r", "2 / item"}}}}});
    Executor executor{
        one_node_graph(foreach (
            {{"items", "xs"}, {"graph", divide}, {"output", "r"}, {"on_error", "collect"}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    const Json values = executor.run({{"xs", {1, 0, 2}}}).to_json().at("n");
    REQUIRE(values.size() == 3);
    CHECK(values[0] == 2);
    CHECK(values[2] == 1);
    const Json& error = values[1].at("error");
    CHECK(error.at("node") == "n[1]/div");
    CHECK(error.at("kind") == "failed");
    CHECK(error.at("message").get<std::string>().find("division by zero") != std::string::npos);
    // Suspending children: the first run of async_flaky fails, the others succeed.
    auto world = std::make_shared<World>();
    Executor later{one_node_graph(foreach ({{"items", "xs"},
                                            {"node", {{"type", "async_flaky"}, {"failures", 1}}},
                                            {"output", "node"},
                                            {"concurrency", 1},
                                            {"on_error", "collect"}})),
                   registry(world),
                   {.threads = 2}};
    const Json collected = later.run({{"xs", {"a", "b", "c"}}}).to_json().at("n");
    CHECK(collected[0].at("error").at("message") == "node 'n[0]/node' failed: async failure 1");
    CHECK(collected[1] == 2);
    CHECK(collected[2] == 3);
  }

  TEST_CASE("items that are not an array fail the node, saying what they were") {
    Executor executor{one_node_graph(foreach ({{"items", "xs"}, {"graph", square}})),
                      lg::builtin_nodes(),
                      {.threads = 2}};
    CHECK(failure_message(executor, {{"xs", "abc"}}) ==
          "node 'n' failed: field 'items': 'xs' must give an array, found string");
    CHECK(failure_message(executor, Json::object()).find("found null") != std::string::npos);
  }

  TEST_CASE("a stopping execution cancels the children and starts no more" * doctest::timeout(60)) {
    auto world = std::make_shared<World>();
    Executor waiting{one_node_graph(foreach ({{"items", "xs"}, {"node", {{"type", "in_flight"}}}})),
                     registry(world),
                     {.threads = 2, .deadline = std::chrono::milliseconds(20)}};
    Outcome outcome;
    outcome.start(waiting, {{"xs", {1, 2, 3, 4, 5}}}, world.get());
    outcome.wait();
    CHECK(outcome.error.find("deadline") != std::string::npos);
    CHECK(outcome.running_at_end == 0);
    CHECK(world->arrived <= 2);  // two lanes (two threads): the others never started
    // Synchronous children: the first polls until the stop; no other item starts.
    Executor polling{one_node_graph(foreach ({{"items", "xs"}, {"node", {{"type", "stop_poll"}}}})),
                     registry(world),
                     {.threads = 2, .deadline = std::chrono::milliseconds(20)}};
    CHECK(failure_message(polling, {{"xs", {1, 2, 3}}}).find("deadline") != std::string::npos);
  }

  TEST_CASE("bad configs name the node and the field") {
    const auto error_of = [](Json fields) {
      fields["type"] = "foreach";
      if (!fields.contains("items")) {
        fields["items"] = "xs";
      }
      if (!fields.contains("graph") && !fields.contains("file") && !fields.contains("node")) {
        fields["graph"] = square;
      }
      return build_error(fields);
    };
    const auto names = [&](Json fields, const std::string& field, const std::string& why) {
      const std::string error = error_of(std::move(fields));
      CAPTURE(error);
      CHECK(error.find(fmt::format("(id 'n'): field '{}': {}", field, why)) != std::string::npos);
    };
    CHECK(build_error(one_node_graph({{"type", "foreach"}, {"graph", square}}), lg::builtin_nodes())
              .find("(id 'n'): field 'items': missing") != std::string::npos);
    names({{"items", "(("}}, "items", "");
    names({{"as", ""}}, "as", "must be a key name");
    names({{"as", 3}}, "as", "must be a key name");
    names({{"index_as", "item"}}, "index_as", "must differ from 'as'");
    names({{"input", {{"item", "1"}}}}, "input.item", "is the key of the item");
    names({{"input", {{"x", "(("}}}}, "input.x", "");
    names({{"input", "x"}}, "input", "must be an object");
    names({{"output", "(("}}, "output", "");
    names({{"on_error", "ignore"}}, "on_error", "must be 'fail' or 'collect'");
    for (const Json& bad : {Json(0), Json(-2), Json("2"), Json(1.5)}) {
      names({{"concurrency", bad}}, "concurrency", "must be a positive integer");
    }
    names({{"graph", square}, {"file", "x.json"}}, "graph", "give either");
    names({{"node", {{"type", "rule"}, {"condition", "true"}}}, {"graph", square}}, "node",
          "give one of");
    names({{"node", "compute"}}, "node", "must be a node");
    names({{"node", {{"type", "rule"}, {"condition", "true"}, {"id", "x"}}}}, "node.id",
          "not allowed");
    names({{"node", {{"type", "nope"}}}}, "node", "invalid graph");
    names({{"graph", graph_of({{{"id", "a"}, {"type", "nope"}}})}}, "graph", "invalid graph");
    names({{"file", "none.json"}}, "file", "");
    names({{"extra", 1}}, "extra", "not a field of type 'foreach'");
  }
}
