#include "nodes/node_run.hpp"

#include <doctest/doctest.h>

#include <string>

using lg::test::build_error;
using lg::test::one_node_graph;
using lg::test::run_graph;
using Json = nlohmann::json;

TEST_SUITE("rule node") {
  TEST_CASE("the result is the condition's truth") {
    const lg::GraphDef graph = one_node_graph({{"type", "rule"}, {"condition", "x > 1"}});
    CHECK(run_graph(graph, {{"x", 2}}).at("n") == true);
    CHECK(run_graph(graph, {{"x", 1}}).at("n") == false);
  }

  TEST_CASE("then is written when the condition holds, in dependency order") {
    const lg::GraphDef graph = one_node_graph(
        {{"type", "rule"},
         {"condition", "amount >= 100"},
         {"then", {{"discount", "rate * amount"}, {"rate", "0.1"}, {"tier", "'gold'"}}}});
    const Json held = run_graph(graph, {{"amount", 200}});
    CHECK(held.at("n") == true);
    CHECK(held.at("rate") == 0.1);
    CHECK(held.at("discount") == 20.0);
    CHECK(held.at("tier") == "gold");
    const Json not_held = run_graph(graph, {{"amount", 50}});
    CHECK(not_held.at("n") == false);
    CHECK_FALSE(not_held.contains("discount"));
    CHECK_FALSE(not_held.contains("tier"));
  }

  TEST_CASE("a bad then names its field") {
    CHECK(build_error({{"type", "rule"}, {"condition", "true"}, {"then", 3}})
              .find("field 'then': must be an object, found number") != std::string::npos);
    CHECK(build_error({{"type", "rule"}, {"condition", "true"}, {"then", {{"k", "1 +"}}}})
              .find("field 'then.k'") != std::string::npos);
    CHECK(build_error({{"type", "rule"}, {"condition", "true"}, {"then", {{"n", "1"}}}})
              .find("field 'then.n': is this node's own id") != std::string::npos);
    CHECK(build_error({{"type", "rule"}, {"condition", "true"}, {"then", {{"a", "b"}, {"b", "a"}}}})
              .find("field 'then': keys read each other in a cycle") != std::string::npos);
    CHECK(build_error({{"type", "rule"}, {"condition", "true"}, {"else", {}}})
              .find("field 'else': not a field of type 'rule'") != std::string::npos);
  }

  TEST_CASE("an expression that fails at run time fails the node, naming it") {
    lg::Executor executor{
        one_node_graph({{"type", "rule"}, {"condition", "true"}, {"then", {{"k", "1 / x"}}}}),
        lg::builtin_nodes(),
        {.threads = 1}};
    CHECK_THROWS_WITH_AS(executor.run({{"x", 0}}), doctest::Contains("node 'n' failed"),
                         lg::ExecutionError);
  }
}
