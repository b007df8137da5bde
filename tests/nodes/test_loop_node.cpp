#include "nodes/node_run.hpp"
#include "nodes/wrapper_support.hpp"
#include "support/execution_failure.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

using lg::Executor;
using lg::test::build_error;
using lg::test::graph_of;
using lg::test::one_node_graph;
using Json = nlohmann::json;

using lg::test::failure_message;

namespace {

Json loop(Json fields) {
  return lg::test::typed("loop", std::move(fields));
}

Json compute(const std::string& id, Json set) {
  return {{"id", id}, {"type", "compute"}, {"set", std::move(set)}};
}

// Halves `x` and counts the steps; `note` is not written, so it keeps its value.
const Json halve =
    graph_of(Json::array({compute("half", {{"x", "x / 2"}, {"steps", "steps + 1"}})}));

}  // namespace

TEST_SUITE("loop node") {
  TEST_CASE("runs the child while `while` holds, the result is the last state") {
    Executor executor{
        one_node_graph(loop({{"state", {{"x", "start"}, {"steps", 0}, {"note", "'kept'"}}},
                             {"while", "x >= 1"},
                             {"graph", halve}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    const Json ctx = executor.run({{"start", 100.0}}).to_json();
    CHECK(ctx.at("n") == Json{{"x", 0.78125}, {"steps", 7}, {"note", "kept"}});
    CHECK_FALSE(ctx.contains("x"));  // the state is the node's result, not its writes
    // `while` false at once: no iteration, the initial state.
    CHECK(executor.run({{"start", 0.5}}).to_json().at("n") ==
          Json{{"x", 0.5}, {"steps", 0}, {"note", "kept"}});
  }

  TEST_CASE("converges: Newton's square root until the error is below epsilon") {
    const Json newton = graph_of(Json::array(
        {compute("step", {{"guess", "(guess + a / guess) / 2"}, {"steps", "steps + 1"}})}));
    Executor executor{one_node_graph(loop({{"state", {{"a", "a"}, {"guess", "a"}, {"steps", 0}}},
                                           {"while", "abs(guess * guess - a) > 1e-12"},
                                           {"graph", newton},
                                           {"max_iterations", 50}})),
                      lg::builtin_nodes(),
                      {.threads = 2}};
    const Json state = executor.run({{"a", 2.0}}).to_json().at("n");
    CHECK(std::abs(state.at("guess").get<double>() - std::sqrt(2.0)) < 1e-9);
    CHECK(state.at("steps").get<int>() >= 3);
    CHECK(state.at("steps").get<int>() < 10);  // quadratic convergence, far from the limit
  }

  TEST_CASE("a suspending child is awaited each iteration") {
    const Json slow = graph_of(Json::array({{{"id", "wait"}, {"type", "delay"}, {"ms", 1}},
                                            compute("inc", {{"k", "k + 1"}})}),
                               Json::array({{{"from", "wait"}, {"to", "inc"}}}));
    Executor executor{
        one_node_graph(loop({{"state", {{"k", 0}}}, {"while", "k < 4"}, {"graph", slow}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    CHECK(executor.run().to_json().at("n") == Json{{"k", 4}});
    // Children that suspend only on some iterations: inline and awaited ones mix.
    auto world = std::make_shared<lg::test::World>();
    const Json sometimes =
        graph_of(Json::array({compute("inc", {{"k", "k + 1"}}),
                              {{"id", "wait"}, {"type", "async_flaky"}, {"failures", 0}}}),
                 Json::array({{{"from", "inc"}, {"to", "wait"}, {"when", "k % 2 == 0"}}}));
    Executor mixed{
        one_node_graph(loop({{"state", {{"k", 0}}}, {"while", "k < 7"}, {"graph", sometimes}})),
        lg::test::wrapper_registry(world),
        {.threads = 2}};
    CHECK(mixed.run().to_json().at("n") == Json{{"k", 7}});
    CHECK(world->flaky_runs == 3);  // after k became 2, 4 and 6
  }

  TEST_CASE("a child graph from a file") {
    const auto dir = std::filesystem::temp_directory_path() / fmt::format("lg_loop_{}", ::getpid());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "halve.json") << halve.dump();
    std::ofstream(dir / "main.json")
        << graph_of(Json::array({loop({{"id", "l"},
                                       {"state", {{"x", 8}, {"steps", 0}}},
                                       {"while", "x > 1"},
                                       {"file", "halve.json"}})}))
               .dump();
    Executor executor{lg::GraphDef::load(dir / "main.json"), lg::builtin_nodes(), {.threads = 2}};
    CHECK(executor.run().to_json().at("l") == Json{{"x", 1}, {"steps", 3}});
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("more than max_iterations is an error naming the node and the limit") {
    const Json inc = graph_of(Json::array({compute("inc", {{"k", "k + 1"}})}));
    Executor executor{
        one_node_graph(loop(
            {{"state", {{"k", 0}}}, {"while", "true"}, {"graph", inc}, {"max_iterations", 5}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    CHECK(failure_message(executor) ==
          "node 'n' failed: 'while' still holds after max_iterations (5) iterations");
    Executor fits{
        one_node_graph(loop(
            {{"state", {{"k", 0}}}, {"while", "k < 5"}, {"graph", inc}, {"max_iterations", 5}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    CHECK(fits.run().to_json().at("n") == Json{{"k", 5}});  // exactly the limit is fine
    Executor by_default{
        one_node_graph(loop({{"state", {{"k", 0}}}, {"while", "k >= 0"}, {"graph", inc}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    CHECK(failure_message(by_default).find("max_iterations (1000)") != std::string::npos);
  }

  TEST_CASE("a failing child names its iteration, a failing `while` names the field") {
    const Json bad =
        graph_of(Json::array({compute("step", {{"k", "k + 1"}, {"z", "1 / (2 - k)"}})}));
    Executor executor{
        one_node_graph(loop({{"state", {{"k", 0}}}, {"while", "k < 5"}, {"graph", bad}})),
        lg::builtin_nodes(),
        {.threads = 2}};
    const std::string error = failure_message(executor);
    CAPTURE(error);
    CHECK(error.find("node 'n' failed: node 'n[1]/step' failed: ") != std::string::npos);
    CHECK(error.find("division by zero") != std::string::npos);
    Executor bad_while{one_node_graph(loop(
                           {{"state", {{"k", "'text'"}}}, {"while", "k - 1 > 0"}, {"graph", bad}})),
                       lg::builtin_nodes(),
                       {.threads = 2}};
    CHECK(failure_message(bad_while).find(
              "node 'n' failed: field 'while' (after 0 iterations): ") != std::string::npos);
  }

  TEST_CASE("a stopping execution stops the loop, synchronous or suspending" *
            doctest::timeout(60)) {
    const Json inc = graph_of(Json::array({compute("inc", {{"k", "k + 1"}})}));
    Executor spinning{one_node_graph(loop({{"state", {{"k", 0}}},
                                           {"while", "true"},
                                           {"graph", inc},
                                           {"max_iterations", 1'000'000'000'000}})),
                      lg::builtin_nodes(),
                      {.threads = 2, .deadline = std::chrono::milliseconds(20)}};
    CHECK(failure_message(spinning).find("deadline") != std::string::npos);
    const Json forever =
        graph_of(Json::array({{{"id", "wait"}, {"type", "delay"}, {"ms", 60'000}}}));
    Executor waiting{
        one_node_graph(loop({{"state", {{"k", 0}}}, {"while", "true"}, {"graph", forever}})),
        lg::builtin_nodes(),
        {.threads = 2, .deadline = std::chrono::milliseconds(20)}};
    CHECK(failure_message(waiting).find("deadline") != std::string::npos);
  }

  TEST_CASE("bad configs name the node and the field") {
    const Json inc = graph_of(Json::array({compute("inc", {{"k", "k + 1"}})}));
    const auto names = [&](Json fields, const std::string& field, const std::string& why) {
      fields["type"] = "loop";
      for (const char* key : {"state", "while", "graph"}) {
        if (!fields.contains(key) && !(std::string(key) == "graph" && fields.contains("file"))) {
          fields[key] = key == std::string("state")   ? Json{{"k", 0}}
                        : key == std::string("while") ? Json("k < 3")
                                                      : inc;
        }
      }
      for (auto it = fields.begin(); it != fields.end();) {
        it = it->is_null() ? fields.erase(it) : std::next(it);  // null: leave the field out
      }
      const std::string error = build_error(fields);
      CAPTURE(error);
      CHECK(error.find(fmt::format("(id 'n'): field '{}': {}", field, why)) != std::string::npos);
    };
    names({{"state", nullptr}}, "state", "missing");
    names({{"state", "k"}}, "state", "must be an object");
    names({{"state", Json::object()}}, "state", "must have a key");
    names({{"state", {{"k", "(("}}}}, "state.k", "");
    names({{"while", nullptr}}, "while", "missing");
    names({{"while", "(("}}, "while", "");
    for (const Json& bad : {Json(0), Json(-1), Json("5"), Json(1.5)}) {
      names({{"max_iterations", bad}}, "max_iterations", "must be a positive integer");
    }
    names({{"file", "x.json"}, {"graph", inc}}, "graph", "give either");
    names({{"graph", nullptr}}, "graph", "give either");
    names({{"graph", graph_of(Json::array({{{"id", "a"}, {"type", "nope"}}}))}}, "graph",
          "invalid graph");
    names({{"file", "none.json"}}, "file", "");
    names({{"until", "true"}}, "until", "not a field of type 'loop'");
  }
}
