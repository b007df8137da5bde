#include "nodes/wrapper_support.hpp"

#include <doctest/doctest.h>

#include <string>

using lg::Executor;
using lg::test::one_node_graph;
using lg::test::World;
using Json = nlohmann::json;

TEST_SUITE("try node") {
  TEST_CASE("success gives the inner result, a failure the catch expression, reading error") {
    auto world = std::make_shared<World>();
    for (const char* type : {"flaky", "async_flaky"}) {
      CAPTURE(type);
      world->flaky_runs = 0;
      Executor executor{one_node_graph({{"type", "try"},
                                        {"node", {{"type", type}, {"failures", 1}}},
                                        {"catch", "error.kind + ': ' + error.message"}}),
                        lg::test::wrapper_registry(world),
                        {.threads = 2}};
      const lg::ExecutionResult failed = executor.run();
      const std::string prefix = type == std::string("flaky") ? "flaky" : "async";
      CHECK(failed.context().get<std::string>("n") == "failed: " + prefix + " failure 1");
      CHECK_FALSE(failed.context().contains("attempt_1"));  // the failed run's writes vanish
      CHECK_FALSE(failed.context().contains("error"));
      const lg::ExecutionResult succeeded = executor.run();
      CHECK(succeeded.context().get<int>("n") == 2);
      CHECK(succeeded.context().get<int>("attempt_2") == 2);
    }
  }

  TEST_CASE("catch_node runs instead, sees error, and keeps its writes") {
    auto world = std::make_shared<World>();
    for (const char* fallback : {"compute", "timeout"}) {
      CAPTURE(fallback);
      world->flaky_runs = 0;
      Json catch_node = {{"type", "compute"},
                         {"set", {{"fallback_used", "true"}, {"why", "error.message"}}}};
      if (fallback == std::string("timeout")) {  // a fallback that suspends
        catch_node = {{"type", "timeout"}, {"ms", 60'000}, {"node", catch_node}};
      }
      Executor executor{one_node_graph({{"type", "try"},
                                        {"node", {{"type", "flaky"}, {"failures", 1}}},
                                        {"catch_node", catch_node}}),
                        lg::test::wrapper_registry(world),
                        {.threads = 2}};
      const lg::ExecutionResult result = executor.run();
      CHECK(result.context().get<bool>("fallback_used") == true);
      CHECK(result.context().get<std::string>("why") == "flaky failure 1");
      CHECK(result.context().get("n")->at("fallback_used") == true);
      CHECK_FALSE(result.context().contains("error"));
      CHECK_FALSE(result.context().contains("attempt_1"));
    }
  }

  TEST_CASE("a time-out is caught, a cancellation is not") {
    Executor timed{
        one_node_graph(
            {{"type", "try"},
             {"node",
              {{"type", "timeout"}, {"ms", 10}, {"node", {{"type", "delay"}, {"ms", 60'000}}}}},
             {"catch", "error.kind"}}),
        lg::builtin_nodes(),
        {.threads = 2}};
    CHECK(timed.run().context().get<std::string>("n") == "timed_out");
    Executor cancelled{one_node_graph({{"type", "try"},
                                       {"node", {{"type", "delay"}, {"ms", 60'000}}},
                                       {"catch", "'caught'"}}),
                       lg::builtin_nodes(),
                       {.threads = 2, .deadline = std::chrono::milliseconds(20)}};
    CHECK(lg::test::failure(cancelled).kind() == lg::ExecutionError::Kind::deadline);
  }

  TEST_CASE("a failing catch fails the node with its own error") {
    Executor executor{one_node_graph({{"type", "try"},
                                      {"node", {{"type", "throw"}, {"message", "first"}}},
                                      {"catch", "1 / 0"}}),
                      lg::test::wrapper_registry(std::make_shared<World>()),
                      {.threads = 2}};
    CHECK(std::string(lg::test::failure(executor).what()).find("division by zero") !=
          std::string::npos);
  }

  TEST_CASE("bad configs name the field") {
    const Json inner = {{"type", "rule"}, {"condition", "true"}};
    CHECK(lg::test::build_error({{"type", "try"}, {"node", inner}})
              .find("field 'catch': give either") != std::string::npos);
    CHECK(lg::test::build_error(
              {{"type", "try"}, {"node", inner}, {"catch", "1"}, {"catch_node", inner}})
              .find("field 'catch': give either") != std::string::npos);
    CHECK(lg::test::build_error({{"type", "try"}, {"node", inner}, {"catch", "(("}})
              .find("field 'catch'") != std::string::npos);
    CHECK(lg::test::build_error({{"type", "try"}, {"node", inner}, {"catch_node", {{"type", "x"}}}})
              .find("field 'catch_node.type': unknown node type 'x'") != std::string::npos);
  }
}
