#include "nodes/wrapper_support.hpp"

#include <logic_graph/engine/observers/profiling_observer.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using lg::Executor;
using lg::test::NoteRecorder;
using lg::test::one_node_graph;
using lg::test::World;
using Json = nlohmann::json;

namespace {

Json retry(Json inner, Json options = Json::object()) {
  return lg::test::wrapper("retry", std::move(inner), std::move(options));
}

}  // namespace

TEST_SUITE("retry node") {
  TEST_CASE("synchronous or suspending, inline or with backoff: retried until it succeeds") {
    for (const char* type : {"flaky", "async_flaky"}) {
      for (const int backoff : {0, 1}) {
        CAPTURE(type);
        CAPTURE(backoff);
        auto world = std::make_shared<World>();
        auto notes = std::make_shared<NoteRecorder>();
        Executor executor{one_node_graph(retry({{"type", type}, {"failures", 2}},
                                               {{"attempts", 4}, {"backoff_ms", backoff}})),
                          lg::test::wrapper_registry(world),
                          {.threads = 2, .observers = {notes}}};
        const lg::ExecutionResult result = executor.run();
        CHECK(result.context().get<int>("n") == 3);
        CHECK(result.context().get<int>("attempt_3") == 3);
        CHECK_FALSE(result.context().contains("attempt_1"));  // failed attempts' writes vanish
        CHECK_FALSE(result.context().contains("attempt_2"));
        CHECK(world->flaky_runs == 3);
        const std::string prefix = type == std::string("flaky") ? "flaky" : "async";
        CHECK(notes->notes() == std::vector<std::string>{
                                    "attempt_failed 1 " + prefix + " failure 1",
                                    "attempt_failed 2 " + prefix + " failure 2", "attempt_ok 3"});
      }
    }
  }

  TEST_CASE("it gives up after its attempts, keeping the last cause") {
    auto world = std::make_shared<World>();
    Executor executor{one_node_graph(retry({{"type", "async_flaky"}, {"failures", 9}},
                                           {{"attempts", 3}, {"backoff_ms", 1}})),
                      lg::test::wrapper_registry(world),
                      {.threads = 2}};
    const lg::ExecutionError error = lg::test::failure(executor);
    CHECK(std::string(error.what()) ==
          "node 'n' failed: gave up after 3 attempts: async failure 3");
    CHECK(world->flaky_runs == 3);
  }

  TEST_CASE("retry_on picks the kinds that are retried") {
    auto world = std::make_shared<World>();
    const auto runs_with = [&](Json retry_on, const char* kind) {
      world->flaky_runs = 0;
      Executor executor{
          one_node_graph(retry({{"type", "async_flaky"}, {"failures", 1}, {"kind", kind}},
                               {{"attempts", 2}, {"retry_on", std::move(retry_on)}})),
          lg::test::wrapper_registry(world),
          {.threads = 2}};
      try {
        (void)executor.run();
      } catch (const lg::ExecutionError&) {
      }
      return world->flaky_runs.load();
    };
    CHECK(runs_with({"failed"}, "failed") == 2);
    CHECK(runs_with({"failed"}, "timed_out") == 1);  // not retried
    CHECK(runs_with({"timed_out"}, "timed_out") == 2);
    CHECK(runs_with({"timed_out"}, "failed") == 1);
    CHECK(runs_with({"failed", "timed_out"}, "timed_out") == 2);
  }

  TEST_CASE("a cancellation during the backoff ends the node at once") {
    auto world = std::make_shared<World>();
    Executor executor{one_node_graph(retry({{"type", "async_flaky"}, {"failures", 9}},
                                           {{"attempts", 5}, {"backoff_ms", 60'000}})),
                      lg::test::wrapper_registry(world),
                      {.threads = 2, .deadline = std::chrono::milliseconds(30)}};
    const lg::ExecutionError error = lg::test::failure(executor);
    CHECK(error.kind() == lg::ExecutionError::Kind::deadline);
    CHECK(world->flaky_runs <= 1);  // the second attempt never started
  }

  TEST_CASE("attempts are counted by the profiling observer") {
    auto world = std::make_shared<World>();
    auto profile = std::make_shared<lg::ProfilingObserver>();
    Executor executor{one_node_graph(retry({{"type", "flaky"}, {"failures", 1}})),
                      lg::test::wrapper_registry(world),
                      {.threads = 2, .observers = {profile}}};
    (void)executor.run();
    const auto report = profile->report();
    REQUIRE(report.nodes.size() == 1);
    using Notes = std::vector<std::pair<std::string, std::uint64_t>>;
    CHECK(report.nodes[0].notes == Notes{{"attempt_failed", 1}, {"attempt_ok", 1}});
    CHECK(profile->format().find("n: attempt_failed 1 attempt_ok 1") != std::string::npos);
  }

  TEST_CASE("bad configs name the field") {
    const auto error = [](Json node) { return lg::test::build_error(std::move(node)); };
    const Json inner = {{"type", "rule"}, {"condition", "true"}};
    CHECK(error(retry(inner, {{"attempts", 0}})).find("field 'attempts': must be from 1") !=
          std::string::npos);
    CHECK(error(retry(inner, {{"backoff_ms", -1}})).find("field 'backoff_ms'") !=
          std::string::npos);
    CHECK(error(retry(inner, {{"backoff_ms", 100}, {"max_backoff_ms", 10}}))
              .find("field 'max_backoff_ms': must be at least backoff_ms (100)") !=
          std::string::npos);
    CHECK(error(retry(inner, {{"retry_on", {"failed", "sometimes"}}}))
              .find("field 'retry_on[1]': must be \"failed\" or \"timed_out\"") !=
          std::string::npos);
    CHECK(error(retry(inner, {{"retry_on", Json::array()}})).find("field 'retry_on'") !=
          std::string::npos);
    CHECK(error({{"type", "retry"}}).find("field 'node': missing") != std::string::npos);
    CHECK(error(retry({{"type", "rule"}})).find("field 'node.condition': missing") !=
          std::string::npos);
    CHECK(error(retry(inner, {{"tries", 2}})).find("field 'tries': not a field of type 'retry'") !=
          std::string::npos);
  }
}
