#include <logic_graph/nodes/builtin_nodes.hpp>

#include <logic_graph/engine/exec/executor.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using lg::ConfigError;
using lg::NodeDef;
using Json = nlohmann::json;

namespace {

NodeDef compute(Json set) {
  return {"calc", "compute", {{"set", std::move(set)}}};
}

// The final context, as JSON, of running one compute node with `set` on `input`.
Json run_compute(Json set, Json input = Json::object()) {
  lg::GraphDef graph;
  graph.node("calc", "compute", {{"set", std::move(set)}});
  lg::Executor executor{graph, lg::builtin_nodes(), {.threads = 1}};
  return executor.run(std::move(input)).to_json();
}

// "k00042": fixed width, so that the object's (sorted) order is the numeric order.
std::string key(int i) {
  return fmt::format("k{:05}", i);
}

}  // namespace

TEST_SUITE("compute node") {
  TEST_CASE("keys that read other keys of the set come after them") {
    const Json ctx = run_compute({{"a", "b * 10"}, {"b", "c + 1"}, {"c", "2"}, {"d", "a + b + c"}});
    CHECK(ctx.at("c") == 2);
    CHECK(ctx.at("b") == 3);
    CHECK(ctx.at("a") == 30);
    CHECK(ctx.at("d") == 35);
  }

  TEST_CASE("a key may read its own previous value") {
    const Json ctx = run_compute({{"n", "n + 1"}, {"m", "n * 2"}}, {{"n", 1}});
    CHECK(ctx.at("n") == 2);
    CHECK(ctx.at("m") == 4);
  }

  TEST_CASE("a cycle among keys is a ConfigError on 'set' naming the keys of the cycle") {
    // 'a' and 'z' only wait for the cycle x -> y -> x; they are not part of it.
    try {
      (void)lg::builtin_nodes().create(
          compute({{"a", "z"}, {"x", "y"}, {"y", "x + 1"}, {"z", "x"}}));
      FAIL("no ConfigError");
    } catch (const ConfigError& e) {
      CHECK(e.field() == "set");
      const std::string reason = e.reason();
      CAPTURE(reason);
      CHECK(reason.find("'x'") != std::string::npos);
      CHECK(reason.find("'y'") != std::string::npos);
      CHECK(reason.find("'a'") == std::string::npos);
      CHECK(reason.find("'z'") == std::string::npos);
      CHECK(reason.find("cycle") != std::string::npos);
    }
  }

  TEST_CASE("20,000 keys in a chain are ordered in linear time" * doctest::timeout(20)) {
    // Each key reads the next one, so the last key is the only one ready at first: the
    // cubic ordering this replaced took minutes here.
    constexpr int keys = 20'000;
    Json set = Json::object();
    for (int i = 0; i + 1 < keys; ++i) {
      set[key(i)] = key(i + 1) + " + 1";
    }
    set[key(keys - 1)] = "1";
    const Json ctx = run_compute(std::move(set));
    CHECK(ctx.at(key(keys - 1)) == 1);
    CHECK(ctx.at(key(0)) == keys);
  }

  TEST_CASE("a set key equal to a node's id is refused: it would overwrite a result") {
    const auto problems_of = [](const lg::GraphDef& graph) -> std::string {
      try {
        lg::Executor executor{graph, lg::builtin_nodes()};
      } catch (const lg::GraphError& e) {
        return e.what();
      }
      return "accepted";
    };
    lg::GraphDef own;
    own.node("calc", "compute", {{"set", {{"calc", "1"}}}});
    CHECK(problems_of(own).find("nodes[0] (id 'calc'): field 'set.calc': is this node's own id") !=
          std::string::npos);
    lg::GraphDef other;
    other.node("check", "rule", {{"condition", "true"}})
        .node("calc", "compute", {{"set", {{"check", "false"}, {"fine", "1"}}}});
    CHECK(problems_of(other).find("field 'set.check': is the id of node 'check'") !=
          std::string::npos);
    lg::GraphDef fine;
    fine.node("calc", "compute", {{"set", {{"total", "1"}}}});
    CHECK(problems_of(fine) == "accepted");
  }
}
