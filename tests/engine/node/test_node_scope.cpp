#include <logic_graph/engine/node/node_scope.hpp>

#include "support/composition_nodes.hpp"
#include "support/execution_failure.hpp"

#include <logic_graph/engine/exec/executor.hpp>

#include <doctest/doctest.h>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <memory>
#include <string>

using lg::ExecutionError;
using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using lg::NodeStatus;
using Json = nlohmann::json;

namespace {

GraphDef one_node(Json node) {
  node["id"] = "n";
  return GraphDef::from_json({{"nodes", Json::array({node})}});
}

}  // namespace

TEST_SUITE("node scope") {
  TEST_CASE("a wrapper runs its inner node inline or suspended, with the same result") {
    auto world = std::make_shared<lg::test::World>();
    const auto registry = lg::test::composition_registry(world);
    SUBCASE("around a synchronous node: inline") {
      Executor executor{one_node({{"type", "wrap"},
                                  {"node", {{"type", "compute"}, {"set", {{"twice", "x * 2"}}}}}}),
                        registry,
                        {.threads = 2}};
      const ExecutionResult result = executor.run({{"x", 21}});
      CHECK(result.context().get<int>("twice") == 42);
      CHECK(result.context().get("n")->at("twice") == 42);
    }
    SUBCASE("around an asynchronous node: suspends, then commits") {
      Executor executor{one_node({{"type", "wrap"}, {"node", {{"type", "delay"}, {"ms", 1}}}}),
                        registry,
                        {.threads = 2}};
      CHECK(executor.run().context().get<int>("n") == 1);
    }
    SUBCASE("wrappers nest") {
      Executor executor{
          one_node(
              {{"type", "wrap"},
               {"node", {{"type", "wrap"}, {"node", {{"type", "rule"}, {"condition", "x > 1"}}}}}}),
          registry,
          {.threads = 2}};
      CHECK(executor.run({{"x", 2}}).context().get<bool>("n") == true);
    }
  }

  TEST_CASE("an inner node's config errors name the field path") {
    const auto registry = lg::test::composition_registry(std::make_shared<lg::test::World>());
    const auto error_of = [&](Json node) -> std::string {
      try {
        Executor executor{one_node(std::move(node)), registry};
      } catch (const lg::GraphError& e) {
        return e.what();
      }
      return "no error";
    };
    CHECK(error_of({{"type", "wrap"}, {"node", {{"type", "rule"}}}})
              .find("field 'node.condition': missing") != std::string::npos);
    CHECK(error_of({{"type", "wrap"}, {"node", {{"type", "teleport"}}}})
              .find("field 'node.type': unknown node type 'teleport'") != std::string::npos);
    CHECK(error_of({{"type", "wrap"}, {"node", {{"type", "wrap"}, {"node", 3}}}})
              .find("field 'node.node': must be an object, found number") != std::string::npos);
    CHECK(error_of({{"type", "wrap"}}).find("field 'node': missing") != std::string::npos);
  }

  TEST_CASE("a failed attempt's writes vanish, the successful one's are kept") {
    auto world = std::make_shared<lg::test::World>();
    Executor executor{
        one_node(
            {{"type", "retry"}, {"attempts", 3}, {"node", {{"type", "flaky"}, {"failures", 2}}}}),
        lg::test::composition_registry(world),
        {.threads = 2}};
    const ExecutionResult result = executor.run();
    const lg::Context& context = result.context();
    CHECK(context.get<int>("n") == 3);
    CHECK(context.get<bool>("ok") == true);
    CHECK(context.get<int>("attempt_3") == 3);
    CHECK_FALSE(context.contains("attempt_1"));  // written by failed attempts, discarded
    CHECK_FALSE(context.contains("attempt_2"));
    CHECK(world->flaky_runs == 3);
  }

  TEST_CASE("retry gives up after its attempts, the error keeps its cause and kind") {
    auto world = std::make_shared<lg::test::World>();
    Executor executor{
        one_node(
            {{"type", "retry"}, {"attempts", 2}, {"node", {{"type", "flaky"}, {"failures", 5}}}}),
        lg::test::composition_registry(world),
        {.threads = 2}};
    const ExecutionError error = lg::test::failure(executor);
    CHECK(error.kind() == ExecutionError::Kind::node_failed);
    CHECK(error.node_id() == "n");
    CHECK(std::string(error.what()) ==
          "node 'n' failed: gave up after 2 attempts: flaky failure 2");
    REQUIRE(error.cause());
    // The execution's cause is the retry's error; its cause, the last attempt's.
    try {
      std::rethrow_exception(error.cause());
    } catch (const lg::NodeError& gave_up) {
      CHECK(gave_up.kind() == lg::NodeError::Kind::failed);
      REQUIRE(gave_up.cause());
      CHECK_THROWS_WITH_AS(std::rethrow_exception(gave_up.cause()), "flaky failure 2",
                           std::runtime_error);
    }
  }

  TEST_CASE("nested write scopes: reads see the innermost writes first") {
    struct Scopes final : lg::SyncNode {
      explicit Scopes(const lg::NodeDef& def) : SyncNode(def) {}
      nlohmann::json do_run(lg::NodeScope& scope) const override {
        scope.set("k", "outer");
        lg::NodeScope inner = scope.nested();
        const bool outer_seen = *inner.get("k") == "outer";
        inner.set("k", "inner");
        const bool inner_seen = *inner.get("k") == "inner" && *scope.get("k") == "outer";
        {
          lg::NodeScope discarded = inner.nested();
          discarded.set("gone", 1);
        }
        inner.commit();
        return outer_seen && inner_seen && *scope.get("k") == "inner" &&
               scope.get("gone") == nullptr && *scope.get("input") == 7;
      }
    };
    lg::NodeRegistry registry = lg::builtin_nodes();
    registry.add("scopes", [](const lg::NodeDef& def) { return std::make_unique<Scopes>(def); });
    Executor executor{one_node({{"type", "scopes"}}), registry, {.threads = 1}};
    const ExecutionResult result = executor.run({{"input", 7}});
    CHECK(result.context().get<bool>("n") == true);
    CHECK(result.context().get<std::string>("k") == "inner");
    CHECK_FALSE(result.context().contains("gone"));
  }

  TEST_CASE("a child graph of synchronous nodes runs inline, its context is its own") {
    auto world = std::make_shared<lg::test::World>();
    const Json child = {
        {"nodes",
         Json::array({{{"id", "double"}, {"type", "compute"}, {"set", {{"y", "x * 2"}}}}})}};
    const GraphDef graph = GraphDef::from_json(
        {{"nodes",
          Json::array(
              {{{"id", "prep"}, {"type", "compute"}, {"set", {{"x", "5"}}}},
               {{"id", "sub"}, {"type", "child"}, {"graph", child}, {"input", {{"x", "x + 1"}}}}})},
         {"edges", Json::array({{{"from", "prep"}, {"to", "sub"}}})}});
    Executor executor{graph, lg::test::composition_registry(world), {.threads = 2}};
    const ExecutionResult result = executor.run();
    CHECK(result.context().get("sub")->at("y") == 12);
    CHECK(result.context().get<int>("x") == 5);  // the parent's x: the child wrote its own
    CHECK_FALSE(result.context().contains("y"));
  }

  TEST_CASE("a child graph that suspends is awaited, its failure names its node") {
    auto world = std::make_shared<lg::test::World>();
    const Json waits = {
        {"nodes", Json::array({{{"id", "wait"}, {"type", "delay"}, {"ms", 1}},
                               {{"id", "after"}, {"type", "rule"}, {"condition", "wait == 1"}}})},
        {"edges", Json::array({{{"from", "wait"}, {"to", "after"}}})}};
    Executor ok{one_node({{"type", "child"}, {"graph", waits}}),
                lg::test::composition_registry(world),
                {.threads = 2}};
    CHECK(ok.run().context().get("n")->at("after") == true);

    const Json fails = {
        {"nodes", Json::array({{{"id", "wait"}, {"type", "delay"}, {"ms", 1}},
                               {{"id", "boom"}, {"type", "throw"}, {"message", "child broke"}}})},
        {"edges", Json::array({{{"from", "wait"}, {"to", "boom"}}})}};
    Executor broken{one_node({{"type", "child"}, {"graph", fails}}),
                    lg::test::composition_registry(world),
                    {.threads = 2}};
    const ExecutionError error = lg::test::failure(broken);
    CHECK(error.node_id() == "n");
    CHECK(std::string(error.what()) == "node 'n' failed: node 'boom' failed: child broke");
    REQUIRE(error.cause());
    try {
      std::rethrow_exception(error.cause());
    } catch (const ExecutionError& child) {
      CHECK(child.node_id() == "boom");
      CHECK(lg::to_node_error(error.cause(), "n").kind() == lg::NodeError::Kind::failed);
    }
  }

  TEST_CASE("cancelling the parent cancels the child graph it awaits") {
    auto world = std::make_shared<lg::test::World>();
    const Json held = {{"nodes", Json::array({{{"id", "hold"}, {"type", "gate"}, {"gate", "g"}}})}};
    Executor executor{one_node({{"type", "child"}, {"graph", held}}),
                      lg::test::composition_registry(world),
                      {.threads = 2}};
    boost::asio::cancellation_signal signal;
    std::promise<std::exception_ptr> done;
    executor.async_execute(nullptr,
                           boost::asio::bind_cancellation_slot(
                               signal.slot(), [&](std::exception_ptr error, ExecutionResult) {
                                 done.set_value(std::move(error));
                               }));
    auto outcome = done.get_future();
    // The child's node is inside the gate once it arrived; it never opens.
    while (world->gate("g").arrivals() == 0) {
      std::this_thread::yield();
    }
    signal.emit(boost::asio::cancellation_type::terminal);
    const std::exception_ptr error = outcome.get();
    REQUIRE(error);
    try {
      std::rethrow_exception(error);
    } catch (const ExecutionError& e) {
      CHECK(e.kind() == ExecutionError::Kind::cancelled);
      CHECK(e.node_id() == "n");  // the node that was running
    }
    CHECK(executor.in_flight() == 0);
  }

  TEST_CASE("a long synchronous node sees the stop and ends early") {
    auto world = std::make_shared<lg::test::World>();
    Executor executor{one_node({{"type", "stop_poll"}}),
                      lg::test::composition_registry(world),
                      {.threads = 2, .deadline = std::chrono::milliseconds(5)}};
    const ExecutionError error = lg::test::failure(executor);
    CHECK(error.kind() == ExecutionError::Kind::deadline);
    CHECK(error.node_id() == "n");
    CHECK(std::string(error.what()).find("running: 'n'") != std::string::npos);
  }

  TEST_CASE("to_node_error tells failures, time-outs and cancellations apart") {
    using Kind = lg::NodeError::Kind;
    CHECK(lg::to_node_error(std::make_exception_ptr(std::runtime_error("x")), "a").kind() ==
          Kind::failed);
    CHECK(lg::to_node_error(std::make_exception_ptr(42), "a").kind() == Kind::failed);
    CHECK(lg::to_node_error(std::make_exception_ptr(
                                boost::system::system_error(boost::asio::error::operation_aborted)),
                            "a")
              .kind() == Kind::cancelled);
    CHECK(lg::to_node_error(
              std::make_exception_ptr(ExecutionError(ExecutionError::Kind::deadline, "x", "late")),
              "a")
              .kind() == Kind::timed_out);
    const lg::NodeError kept(Kind::timed_out, "inner", "too slow");
    CHECK(lg::to_node_error(std::make_exception_ptr(kept), "outer").node_id() == "inner");
    CHECK(lg::to_string(Kind::timed_out) == "timed_out");
    CHECK(lg::to_string(ExecutionError::Kind::rejected) == "rejected");
  }
}
