#include "nodes/wrapper_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using lg::Executor;
using lg::test::NoteRecorder;
using lg::test::one_node_graph;
using lg::test::World;
using Json = nlohmann::json;

TEST_SUITE("wrapper fields") {
  TEST_CASE("retry and timeout_ms on any node") {
    auto world = std::make_shared<World>();
    Executor retried{
        one_node_graph({{"type", "flaky"}, {"failures", 1}, {"retry", {{"attempts", 2}}}}),
        lg::test::wrapper_registry(world),
        {.threads = 2}};
    CHECK(retried.run().context().get<int>("n") == 2);
    Executor limited{one_node_graph({{"type", "delay"}, {"ms", 60'000}, {"timeout_ms", 10}}),
                     lg::builtin_nodes(),
                     {.threads = 2}};
    CHECK(std::string(lg::test::failure(limited).what()) ==
          "node 'n' failed: timed out after 10 ms");
  }

  TEST_CASE("the order: cache outside, then circuit breaker, retry, timeout, the node") {
    auto world = std::make_shared<World>();
    auto notes = std::make_shared<NoteRecorder>();
    Executor executor{one_node_graph({{"type", "async_flaky"},
                                      {"failures", 1},
                                      {"timeout_ms", 60'000},
                                      {"retry", {{"attempts", 2}}},
                                      {"circuit_breaker", {{"failure_threshold", 1}}},
                                      {"cache", {{"key", "k"}}}}),
                      lg::test::wrapper_registry(world),
                      {.threads = 2, .observers = {notes}}};
    CHECK(executor.run({{"k", 1}}).context().get<int>("n") == 2);
    CHECK(executor.run({{"k", 1}}).context().get<int>("n") == 2);
    // The retry is inside the circuit (its failed attempt did not open it), the cache outside
    // everything (the second run is a hit and nothing else).
    CHECK(notes->notes() == std::vector<std::string>{"cache_miss 0",
                                                     "attempt_failed 1 async failure 1",
                                                     "attempt_ok 2", "cache_hit 0"});
  }

  TEST_CASE("a type that claims a wrapper field reads it itself, other wrappers still apply") {
    auto world = std::make_shared<World>();
    lg::NodeRegistry registry = lg::test::wrapper_registry(world);
    // A node that reports the timeout_ms it was given, or null.
    registry.add("own_limit", [](const lg::NodeDef& def) {
      struct OwnLimit final : lg::SyncNode {
        explicit OwnLimit(const lg::NodeDef& def)
            : SyncNode(def), limit_(def.config.value("timeout_ms", Json())) {}
        Json do_run(lg::NodeScope&) const override { return limit_; }
        Json limit_;
      };
      return std::make_unique<OwnLimit>(def);
    });
    CHECK(registry.claims_field("own_limit", "timeout_ms") == false);
    Executor wrapped{
        one_node_graph({{"type", "own_limit"}, {"timeout_ms", 50}}), registry, {.threads = 1}};
    CHECK(wrapped.run().to_json()["n"] == nullptr);  // a timeout wrapper took it
    registry.claim_field("own_limit", "timeout_ms");
    CHECK(registry.claims_field("own_limit", "timeout_ms"));
    CHECK_FALSE(registry.claims_field("own_limit", "retry"));
    Executor claimed{
        one_node_graph({{"type", "own_limit"}, {"timeout_ms", 50}, {"retry", {{"attempts", 2}}}}),
        registry,
        {.threads = 1}};
    CHECK(claimed.run().to_json()["n"] == 50);
  }

  TEST_CASE("errors name the fields as written") {
    const auto error = [](Json node) { return lg::test::build_error(std::move(node)); };
    const Json rule = {{"type", "rule"}, {"condition", "true"}};
    Json bad = rule;
    bad["retry"] = {{"attempts", 0}};
    CHECK(error(bad).find("field 'retry.attempts': must be from 1") != std::string::npos);
    bad = rule;
    bad["timeout_ms"] = 0;
    CHECK(error(bad).find("field 'timeout_ms': must be from 1") != std::string::npos);
    bad = rule;
    bad["retry"] = 3;
    CHECK(error(bad).find("field 'retry': must be an object (the retry wrapper's config)") !=
          std::string::npos);
    bad = rule;
    bad["retry"] = {{"node", rule}};
    CHECK(error(bad).find("field 'retry.node': not allowed") != std::string::npos);
    bad = {{"type", "rule"}, {"retry", Json::object()}, {"timeout_ms", 5}};
    CHECK(error(bad).find("field 'condition': missing") != std::string::npos);
    bad = rule;
    bad["cache"] = {{"key", "(("}};
    bad["timeout_ms"] = 5;
    CHECK(error(bad).find("field 'cache.key'") != std::string::npos);
    bad = {{"type", "retry"}, {"node", {{"type", "rule"}}}, {"timeout_ms", 5}};
    CHECK(error(bad).find("field 'node.condition': missing") != std::string::npos);
  }
}
