#include "nodes/wrapper_support.hpp"

#include <doctest/doctest.h>

#include <string>

using lg::Executor;
using lg::test::one_node_graph;
using lg::test::World;
using Json = nlohmann::json;

namespace {

Json timeout(Json inner, int ms) {
  return lg::test::wrapper("timeout", std::move(inner), {{"ms", ms}});
}

// The cause of the execution's error, as a NodeError.
lg::NodeError node_error(const lg::ExecutionError& error) {
  REQUIRE(error.cause());
  return lg::to_node_error(error.cause(), "?");
}

}  // namespace

TEST_SUITE("timeout node") {
  TEST_CASE("an inner node that ends in time gives its result and writes") {
    auto world = std::make_shared<World>();
    for (const char* type : {"flaky", "async_flaky"}) {
      world->flaky_runs = 0;
      Executor executor{one_node_graph(timeout({{"type", type}, {"failures", 0}}, 60'000)),
                        lg::test::wrapper_registry(world),
                        {.threads = 2}};
      const lg::ExecutionResult result = executor.run();
      CHECK(result.context().get<int>("n") == 1);
      CHECK(result.context().get<int>("attempt_1") == 1);
    }
  }

  TEST_CASE("a suspended inner node is cancelled when the time is up: kind timed_out") {
    Executor executor{one_node_graph(timeout({{"type", "delay"}, {"ms", 60'000}}, 20)),
                      lg::builtin_nodes(),
                      {.threads = 2}};
    const lg::ExecutionError error = lg::test::failure(executor);
    CHECK(error.kind() == lg::ExecutionError::Kind::node_failed);
    CHECK(std::string(error.what()) == "node 'n' failed: timed out after 20 ms");
    CHECK(node_error(error).kind() == lg::NodeError::Kind::timed_out);
  }

  TEST_CASE("an inline inner node that took too long is dropped with its writes") {
    Executor executor{one_node_graph(timeout({{"type", "compute"}, {"set", {{"k", "1"}}}}, 60'000)),
                      lg::builtin_nodes(),
                      {.threads = 2}};
    CHECK(executor.run().context().get<int>("k") == 1);  // in time
    auto world = std::make_shared<World>();
    Executor slow{one_node_graph(timeout({{"type", "busy"}, {"ms", 5}}, 1)),
                  lg::test::wrapper_registry(world),
                  {.threads = 2}};
    const lg::ExecutionError error = lg::test::failure(slow);
    CHECK(node_error(error).kind() == lg::NodeError::Kind::timed_out);
  }

  TEST_CASE("the inner node's failure passes through as it is") {
    auto world = std::make_shared<World>();
    Executor executor{one_node_graph(timeout({{"type", "async_flaky"}, {"failures", 1}}, 60'000)),
                      lg::test::wrapper_registry(world),
                      {.threads = 2}};
    const lg::ExecutionError error = lg::test::failure(executor);
    CHECK(std::string(error.what()) == "node 'n' failed: async failure 1");
    CHECK(node_error(error).kind() == lg::NodeError::Kind::failed);
  }

  TEST_CASE("a stop of the execution cancels the inner node and the timer") {
    Executor executor{one_node_graph(timeout({{"type", "delay"}, {"ms", 60'000}}, 60'000)),
                      lg::builtin_nodes(),
                      {.threads = 2, .deadline = std::chrono::milliseconds(20)}};
    CHECK(lg::test::failure(executor).kind() == lg::ExecutionError::Kind::deadline);
  }

  TEST_CASE("retry around timeout retries the time-outs") {
    auto world = std::make_shared<World>();
    auto notes = std::make_shared<lg::test::NoteRecorder>();
    Executor executor{one_node_graph({{"type", "retry"},
                                      {"attempts", 2},
                                      {"node", timeout({{"type", "delay"}, {"ms", 60'000}}, 10)}}),
                      lg::builtin_nodes(),
                      {.threads = 2, .observers = {notes}}};
    const lg::ExecutionError error = lg::test::failure(executor);
    CHECK(std::string(error.what()) ==
          "node 'n' failed: gave up after 2 attempts: timed out after 10 ms");
    CHECK(notes->notes().size() == 2);
  }

  TEST_CASE("bad configs name the field") {
    const Json inner = {{"type", "rule"}, {"condition", "true"}};
    CHECK(
        lg::test::build_error({{"type", "timeout"}, {"node", inner}}).find("field 'ms': missing") !=
        std::string::npos);
    CHECK(lg::test::build_error(timeout(inner, 0)).find("field 'ms': must be from 1") !=
          std::string::npos);
    CHECK(lg::test::build_error({{"type", "timeout"}, {"ms", 10}}).find("field 'node': missing") !=
          std::string::npos);
  }
}
