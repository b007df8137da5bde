#include "nodes/wrapper_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using lg::Executor;
using lg::test::NoteRecorder;
using lg::test::one_node_graph;
using Json = nlohmann::json;

namespace {

Json scripted(const char* schedule, Json options = Json::object()) {
  options["type"] = "scripted";
  options["schedule"] = schedule;
  return options;
}

// The cause of the execution's error, as a NodeError.
lg::NodeError node_error(const lg::ExecutionError& error) {
  REQUIRE(error.cause());
  return lg::to_node_error(error.cause(), "?");
}

}  // namespace

TEST_SUITE("scripted node") {
  TEST_CASE("s succeeds with value, or with the run's number without one") {
    Executor with_value{
        one_node_graph(scripted("s", {{"value", "x * 2"}})), lg::builtin_nodes(), {.threads = 2}};
    CHECK(with_value.run(Json{{"x", 21}}).context().get<int>("n") == 42);
    Executor numbered{one_node_graph(scripted("s")), lg::builtin_nodes(), {.threads = 2}};
    CHECK(numbered.run().context().get<int>("n") == 1);
    CHECK(numbered.run().context().get<int>("n") == 2);
  }

  TEST_CASE("f fails with kind failed, saying which run and letter it was") {
    Executor executor{one_node_graph(scripted("sf")), lg::builtin_nodes(), {.threads = 2}};
    CHECK(executor.run().context().get<int>("n") == 1);
    const lg::ExecutionError error = lg::test::failure(executor);
    CHECK(std::string(error.what()) ==
          "node 'n' failed: scripted failure on run 2 (letter 2 of 'sf')");
    CHECK(node_error(error).kind() == lg::NodeError::Kind::failed);
    // Past its end the schedule repeats its last letter.
    CHECK(std::string(lg::test::failure(executor).what()) ==
          "node 'n' failed: scripted failure on run 3 (letter 2 of 'sf')");
  }

  TEST_CASE("t waits delay_ms, then succeeds, a timeout cuts the wait") {
    Executor slow{one_node_graph(scripted("t", {{"delay_ms", 1}, {"value", "'late'"}})),
                  lg::builtin_nodes(),
                  {.threads = 2}};
    CHECK(slow.run().context().get<std::string>("n") == "late");
    // Without delay_ms it waits a day: only the timeout ends it.
    Executor hung{
        one_node_graph(scripted("t", {{"timeout_ms", 10}})), lg::builtin_nodes(), {.threads = 2}};
    const lg::ExecutionError error = lg::test::failure(hung);
    CHECK(std::string(error.what()) == "node 'n' failed: timed out after 10 ms");
    CHECK(node_error(error).kind() == lg::NodeError::Kind::timed_out);
  }

  TEST_CASE("a value that fails to evaluate fails the run") {
    Executor executor{
        one_node_graph(scripted("s", {{"value", "x > 1"}})), lg::builtin_nodes(), {.threads = 2}};
    const lg::ExecutionError error = lg::test::failure(executor, Json{{"x", "text"}});
    CHECK(std::string(error.what()).find("cannot compare string and number") != std::string::npos);
  }

  TEST_CASE("nodes with one key share the count, without one each node counts alone") {
    const auto graph = [](Json b_key) {
      Json b = scripted("fs", {{"id", "b"}});
      if (!b_key.is_null()) {
        b["key"] = b_key;
      }
      return lg::GraphDef::from_json(
          {{"nodes",
            {scripted("fs", {{"id", "a"}, {"key", "svc"}, {"retry", {{"attempts", 2}}}}), b}},
           {"edges", {{{"from", "a"}, {"to", "b"}}}}});
    };
    // a fails run 1 and succeeds on run 2 (its retry); b, sharing the count, gets run 3: s.
    Executor shared{graph("svc"), lg::builtin_nodes(), {.threads = 2}};
    const lg::ExecutionResult result = shared.run();
    CHECK(result.context().get<int>("a") == 2);
    CHECK(result.context().get<int>("b") == 3);
    // Counting alone, b's first run is an f.
    Executor apart{graph(nullptr), lg::builtin_nodes(), {.threads = 2}};
    CHECK(std::string(lg::test::failure(apart).what()) ==
          "node 'b' failed: scripted failure on run 1 (letter 1 of 'fs')");
  }

  TEST_CASE("a retry around it recovers on the third attempt") {
    auto notes = std::make_shared<NoteRecorder>();
    Executor executor{
        one_node_graph(lg::test::wrapper("retry", scripted("ffs", {{"value", "'quote'"}}),
                                         {{"attempts", 3}, {"backoff_ms", 1}})),
        lg::builtin_nodes(),
        {.threads = 2, .observers = {notes}}};
    CHECK(executor.run().context().get<std::string>("n") == "quote");
    CHECK(notes->notes() ==
          std::vector<std::string>{"attempt_failed 1 scripted failure on run 1 (letter 1 of 'ffs')",
                                   "attempt_failed 2 scripted failure on run 2 (letter 2 of 'ffs')",
                                   "attempt_ok 3"});
  }

  TEST_CASE("a circuit breaker around it opens after its failures") {
    Executor executor{
        one_node_graph(scripted("ff", {{"circuit_breaker", {{"failure_threshold", 2}}}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    for (int run = 1; run <= 2; ++run) {
      CHECK(std::string(lg::test::failure(executor).what()).find("scripted failure on run") !=
            std::string::npos);
    }
    CHECK(std::string(lg::test::failure(executor).what())
              .starts_with("node 'n' failed: circuit open after 2 failures in a row"));
  }

  TEST_CASE("bad configs name the field") {
    const auto error = [](Json node) { return lg::test::build_error(std::move(node)); };
    CHECK(error({{"type", "scripted"}}).find("field 'schedule': missing") != std::string::npos);
    CHECK(error(scripted("")).find("field 'schedule': must not be empty") != std::string::npos);
    CHECK(error(scripted("ssx"))
              .find("field 'schedule': letter 3 of 'ssx' must be f (fail), s "
                    "(succeed) or t (take delay_ms), found 'x'") != std::string::npos);
    CHECK(
        error({{"type", "scripted"}, {"schedule", 3}}).find("field 'schedule': must be a string") !=
        std::string::npos);
    CHECK(error(scripted("t", {{"delay_ms", -1}})).find("field 'delay_ms'") != std::string::npos);
    CHECK(error(scripted("s", {{"key", 1}})).find("field 'key': must be a string") !=
          std::string::npos);
    CHECK(error(scripted("s", {{"value", "1 +"}})).find("field 'value'") != std::string::npos);
    CHECK(error(scripted("s", {{"times", 2}})).find("field 'times'") != std::string::npos);
  }
}
