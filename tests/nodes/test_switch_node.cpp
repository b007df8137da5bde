#include "nodes/node_run.hpp"

#include <doctest/doctest.h>

#include <string>

using lg::test::build_error;
using lg::test::one_node_graph;
using lg::test::run_graph;
using Json = nlohmann::json;

namespace {

Json grade_switch() {
  return {{"type", "switch"},
          {"cases",
           {{{"when", "score >= 90"}, {"value", "'A'"}},
            {{"when", "score >= 75"}, {"value", "'B'"}},
            {{"when", "score >= 60"}, {"value", "'C'"}}}},
          {"default", "'F'"}};
}

}  // namespace

TEST_SUITE("switch node") {
  TEST_CASE("the first case that holds gives the value, else the default") {
    const lg::GraphDef graph = one_node_graph(grade_switch());
    CHECK(run_graph(graph, {{"score", 95}}).at("n") == "A");
    CHECK(run_graph(graph, {{"score", 90}}).at("n") == "A");
    CHECK(run_graph(graph, {{"score", 80}}).at("n") == "B");
    CHECK(run_graph(graph, {{"score", 60}}).at("n") == "C");
    CHECK(run_graph(graph, {{"score", 10}}).at("n") == "F");
  }

  TEST_CASE("no case holds and no default: null") {
    const lg::GraphDef graph =
        one_node_graph({{"type", "switch"}, {"cases", {{{"when", "x == 1"}, {"value", "'one'"}}}}});
    CHECK(run_graph(graph, {{"x", 1}}).at("n") == "one");
    CHECK(run_graph(graph, {{"x", 2}}).at("n").is_null());
  }

  TEST_CASE("outgoing edges branch on the value") {
    Json grade = grade_switch();
    grade["id"] = "grade";
    const lg::GraphDef graph = lg::GraphDef::from_json(
        {{"nodes",
          {grade,
           {{"id", "honours"}, {"type", "compute"}, {"set", {{"letter", "'with honours'"}}}},
           {{"id", "pass"}, {"type", "compute"}, {"set", {{"letter", "'passed'"}}}},
           {{"id", "retake"}, {"type", "compute"}, {"set", {{"letter", "'retake'"}}}}}},
         {"edges",
          {{{"from", "grade"}, {"to", "honours"}, {"when", "grade == 'A'"}},
           {{"from", "grade"}, {"to", "pass"}, {"when", "grade == 'B' || grade == 'C'"}},
           {{"from", "grade"}, {"to", "retake"}, {"when", "grade == 'F'"}}}}});
    lg::Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    const auto letter = [&](int score) {
      const lg::ExecutionResult result = executor.run({{"score", score}});
      CHECK(result.count(lg::NodeStatus::skipped) == 2);
      return result.context().get<std::string>("letter").value_or("");
    };
    CHECK(letter(99) == "with honours");
    CHECK(letter(77) == "passed");
    CHECK(letter(12) == "retake");
  }

  TEST_CASE("bad configs name the field") {
    CHECK(build_error({{"type", "switch"}}).find("field 'cases': missing") != std::string::npos);
    CHECK(build_error({{"type", "switch"}, {"cases", {{"when", "x"}}}})
              .find("field 'cases': must be an array, found object") != std::string::npos);
    CHECK(build_error({{"type", "switch"}, {"cases", {3}}})
              .find("field 'cases[0]': must be an object") != std::string::npos);
    CHECK(build_error({{"type", "switch"}, {"cases", {{{"when", "true"}}}}})
              .find("field 'cases[0].value': missing") != std::string::npos);
    CHECK(build_error(
              {{"type", "switch"},
               {"cases", {{{"when", "true"}, {"value", "1"}}, {{"when", "(("}, {"value", "2"}}}}})
              .find("field 'cases[1].when'") != std::string::npos);
    CHECK(build_error(
              {{"type", "switch"}, {"cases", {{{"when", "true"}, {"value", "1"}, {"then", 2}}}}})
              .find("field 'cases[0].then': not a field of a case") != std::string::npos);
    CHECK(build_error({{"type", "switch"}, {"cases", Json::array()}, {"default", {1, 2}}})
              .find("field 'default': must be an expression") != std::string::npos);
  }
}
