#include "nodes/wrapper_support.hpp"
#include "wrappers/circuit.hpp"

#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

using lg::Executor;
using lg::detail::Circuit;
using lg::test::one_node_graph;
using lg::test::World;
using Json = nlohmann::json;
using std::chrono::milliseconds;

namespace {

Json breaker(Json inner, Json options = Json::object()) {
  return lg::test::wrapper("circuit_breaker", std::move(inner), std::move(options));
}

std::string error_of(Executor& executor) {
  return lg::test::failure(executor).what();
}

}  // namespace

TEST_SUITE("circuit breaker node") {
  TEST_CASE("the circuit: closed, open, half open, closed again") {
    Circuit circuit({.failure_threshold = 2, .reset = milliseconds(100), .probes = 2});
    const Circuit::Clock::time_point t0{};
    const auto fail = [&](Circuit::Clock::time_point at) {
      const auto run = circuit.admit(at);
      REQUIRE(run.admitted);
      return circuit.end(run, Circuit::Outcome::failed, at);
    };
    CHECK_FALSE(fail(t0));
    const auto ok = circuit.admit(t0);
    CHECK_FALSE(circuit.end(ok, Circuit::Outcome::succeeded, t0));  // a success resets the count
    CHECK_FALSE(fail(t0));
    CHECK(fail(t0 + milliseconds(10)));  // two in a row: opens
    const auto refused = circuit.admit(t0 + milliseconds(40));
    CHECK_FALSE(refused.admitted);
    CHECK(refused.retry_in == milliseconds(70));
    // After reset: two trials go through, a third waits for them.
    const auto trial1 = circuit.admit(t0 + milliseconds(110));
    const auto trial2 = circuit.admit(t0 + milliseconds(110));
    CHECK(trial1.probe);
    CHECK(trial2.probe);
    CHECK_FALSE(circuit.admit(t0 + milliseconds(110)).admitted);
    CHECK_FALSE(circuit.end(trial1, Circuit::Outcome::succeeded, t0 + milliseconds(111)));
    CHECK_FALSE(circuit.end(trial2, Circuit::Outcome::succeeded, t0 + milliseconds(112)));
    const auto closed = circuit.admit(t0 + milliseconds(113));  // both passed: closed
    CHECK(closed.admitted);
    CHECK_FALSE(closed.probe);
    CHECK_FALSE(circuit.end(closed, Circuit::Outcome::succeeded, t0 + milliseconds(113)));
  }

  TEST_CASE("a failed trial opens the circuit again, a cancelled one is neither") {
    Circuit circuit({.failure_threshold = 1, .reset = milliseconds(10), .probes = 1});
    const Circuit::Clock::time_point t0{};
    CHECK(circuit.end(circuit.admit(t0), Circuit::Outcome::failed, t0));
    const auto cancelled = circuit.admit(t0 + milliseconds(10));
    REQUIRE(cancelled.probe);
    CHECK_FALSE(circuit.end(cancelled, Circuit::Outcome::neither, t0 + milliseconds(11)));
    const auto trial = circuit.admit(t0 + milliseconds(11));  // the slot is free again
    REQUIRE(trial.probe);
    CHECK(circuit.end(trial, Circuit::Outcome::failed, t0 + milliseconds(12)));
    CHECK_FALSE(circuit.admit(t0 + milliseconds(13)).admitted);
    CHECK(circuit.admit(t0 + milliseconds(22)).probe);
  }

  TEST_CASE("after the threshold, runs are refused without running the node") {
    for (const char* type : {"flaky", "async_flaky"}) {
      CAPTURE(type);
      auto world = std::make_shared<World>();
      auto notes = std::make_shared<lg::test::NoteRecorder>();
      Executor executor{one_node_graph(breaker({{"type", type}, {"failures", 100}},
                                               {{"failure_threshold", 2}, {"reset_ms", 60'000}})),
                        lg::test::wrapper_registry(world),
                        {.threads = 2, .observers = {notes}}};
      CHECK(error_of(executor).find("failure 1") != std::string::npos);
      CHECK(error_of(executor).find("failure 2") != std::string::npos);
      const std::string refused = error_of(executor);
      CHECK(refused.find("circuit open after 2 failures in a row; next trial in ") !=
            std::string::npos);
      CHECK(world->flaky_runs == 2);
      const std::vector<std::string> seen = notes->notes();
      REQUIRE(seen.size() == 2);
      CHECK(seen[0] == "circuit_opened 2");
      CHECK(seen[1].rfind("circuit_refused ", 0) == 0);
    }
  }

  TEST_CASE("executors on one runtime share a circuit by name, other runtimes do not") {
    auto world = std::make_shared<World>();
    const auto registry = lg::test::wrapper_registry(world);
    const Json node =
        breaker({{"type", "flaky"}, {"failures", 100}},
                {{"name", "payments"}, {"failure_threshold", 1}, {"reset_ms", 60'000}});
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    Executor first{one_node_graph(node), registry, {.runtime = runtime}};
    Executor second{one_node_graph(node), registry, {.runtime = runtime}};
    Executor elsewhere{one_node_graph(node), registry, {.threads = 1}};
    CHECK(error_of(first).find("flaky failure 1") != std::string::npos);
    CHECK(error_of(second).find("circuit open") != std::string::npos);
    CHECK(error_of(elsewhere).find("flaky failure 2") != std::string::npos);
    Json other = node;
    other["failure_threshold"] = 3;
    CHECK(lg::test::build_error(one_node_graph(other), registry).empty());  // another runtime
    try {
      Executor clash{one_node_graph(other), registry, {.runtime = runtime}};
      FAIL("no error");
    } catch (const lg::GraphError& e) {
      CHECK(std::string(e.what()).find(
                "field 'name': circuit 'payments' exists on this runtime with other settings") !=
            std::string::npos);
    }
  }

  TEST_CASE("many executions at once through one circuit") {
    auto world = std::make_shared<World>();
    Executor executor{one_node_graph(breaker({{"type", "async_flaky"}, {"failures", 1'000'000}},
                                             {{"failure_threshold", 50}, {"reset_ms", 60'000}})),
                      lg::test::wrapper_registry(world),
                      {.threads = 2}};
    // The outcome is read in the handler, on the thread that completes it: the exception is
    // never shared with this thread.
    std::mutex mutex;
    std::condition_variable all_done;
    int ended = 0;
    int refused = 0;
    for (int i = 0; i < 400; ++i) {
      executor.async_execute(Json::object(), [&](std::exception_ptr error, lg::ExecutionResult) {
        const bool open = error && lg::describe(error).find("circuit open") != std::string::npos;
        const std::lock_guard guard(mutex);  // notified under the lock: the waiter's stack
        refused += open ? 1 : 0;             // stays until this handler is done with it
        ++ended;
        all_done.notify_one();
      });
    }
    {
      std::unique_lock lock(mutex);
      all_done.wait(lock, [&] { return ended == 400; });
    }
    // Runs admitted before the circuit opened all ran (at least 50); the rest were refused.
    CHECK(world->flaky_runs >= 50);
    CHECK(world->flaky_runs + refused == 400);
    // However they interleaved, the circuit is open now: the next run is refused.
    const int ran = world->flaky_runs;
    CHECK(error_of(executor).find("circuit open") != std::string::npos);
    CHECK(world->flaky_runs == ran);
  }

  TEST_CASE("bad configs name the field") {
    const Json inner = {{"type", "rule"}, {"condition", "true"}};
    CHECK(lg::test::build_error(breaker(inner, {{"failure_threshold", 0}}))
              .find("field 'failure_threshold': must be at least 1") != std::string::npos);
    CHECK(lg::test::build_error(breaker(inner, {{"reset_ms", 0}}))
              .find("field 'reset_ms': must be from 1") != std::string::npos);
    CHECK(lg::test::build_error(breaker(inner, {{"half_open_probes", 0}}))
              .find("field 'half_open_probes'") != std::string::npos);
    CHECK(lg::test::build_error(breaker(inner, {{"name", 3}}))
              .find("field 'name': must be a string") != std::string::npos);
  }
}
