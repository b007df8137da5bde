// GraphDef: the shapes it reads, round trips, the builder, files, limits.

#include <logic_graph/engine/graph/graph_def.hpp>

#include "engine/graph/graph_problems.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

using lg::Diagnostic;
using lg::GraphDef;
using lg::GraphError;
using namespace lg::test;  // NOLINT: the helpers read as part of each test

TEST_SUITE("graph def") {
  TEST_CASE("the native shape loads: ids, types, config and edges") {
    const GraphDef graph = GraphDef::parse(design_example);
    CHECK(graph.name == "order_flow");
    REQUIRE(graph.nodes.size() == 3);
    CHECK(graph.nodes[0].id == "validate");
    CHECK(graph.nodes[0].type == "rule");
    CHECK(graph.nodes[0].config == Json{{"condition", "order.total > 0 && order.items > 0"}});
    CHECK(graph.nodes[2].config == Json{{"ms", 5}});
    REQUIRE(graph.edges.size() == 2);
    CHECK(graph.edges[0].from == "validate");
    CHECK(graph.edges[0].to == "price");
    CHECK(graph.edges[0].when == "validate");
    CHECK_FALSE(graph.edges[1].when.has_value());
    CHECK_FALSE(graph.edges[1].label.has_value());
    REQUIRE(graph.find_node("price") != nullptr);
    CHECK(graph.find_node("price")->type == "compute");
    CHECK(graph.find_node("nope") == nullptr);
    CHECK(graph.validate().empty());
  }

  TEST_CASE("name and edges are optional, an empty graph is valid") {
    const GraphDef graph = GraphDef::from_json({{"nodes", {{{"id", "a"}, {"type", "delay"}}}}});
    CHECK(graph.name.empty());
    CHECK(graph.edges.empty());
    CHECK(graph.nodes[0].config == Json::object());
    CHECK(GraphDef::from_json({{"nodes", Json::array()}}).nodes.empty());
  }

  TEST_CASE("rust-logic-graph's shape loads, mapped to native types") {
    const GraphDef graph = GraphDef::parse(R"({
      "nodes": {
        "check": "RuleNode",
        "guard": {"node_type": "RuleNode", "condition": "x > 1"},
        "nullcond": {"node_type": "RuleNode", "condition": null},
        "fetch": {"node_type": "DBNode", "query": "SELECT 1", "params": ["user_id"], "prompt": null},
        "ask": {"node_type": "AINode", "prompt": "Summarise"},
        "call": "GrpcNode",
        "sub": {"node_type": "SubgraphNode", "graph_def": {"nodes": {"a": "RuleNode"}}},
        "breaker": {"node_type": "CircuitBreakerNode", "failure_threshold": 2,
                    "node": {"type": "rule"}}
      },
      "edges": [
        {"from": "check", "to": "fetch", "rule": "input_valid"},
        {"from": "fetch", "to": "ask", "rule": null},
        {"from": "ask", "to": "call"}
      ]})");
    REQUIRE(graph.nodes.size() == 8);
    const auto type_of = [&](std::string_view id) { return graph.find_node(id)->type; };
    CHECK(type_of("check") == "rule");
    CHECK(type_of("fetch") == "postgres");  // no database: DATABASE_URL's (test_rust_data_nodes)
    CHECK(type_of("ask") == "llm");
    CHECK(type_of("call") == "grpc");
    CHECK(type_of("sub") == "subgraph");
    CHECK(type_of("breaker") == "circuit_breaker");  // its fields: test_rust_nodes.cpp
    CHECK(graph.find_node("check")->config ==
          Json{{"rust_type", "RuleNode"}, {"condition", "true"}});
    CHECK(graph.find_node("guard")->config ==
          Json{{"rust_type", "RuleNode"}, {"condition", "x > 1"}});
    CHECK(graph.find_node("nullcond")->config["condition"] == "true");
    CHECK(graph.find_node("fetch")->config == Json{{"rust_type", "DBNode"},
                                                   {"connection", "env:DATABASE_URL"},
                                                   {"query", "SELECT 1"},
                                                   {"params", {"user_id"}}});
    CHECK(graph.find_node("ask")->config == Json{{"rust_type", "AINode"}, {"prompt", "Summarise"}});
    CHECK(graph.find_node("call")->config == Json{{"rust_type", "GrpcNode"}});
    REQUIRE(graph.edges.size() == 3);
    CHECK(graph.edges[0].label == "input_valid");
    CHECK_FALSE(graph.edges[0].when.has_value());  // a rule is a label, it gates nothing
    CHECK_FALSE(graph.edges[1].label.has_value());
    CHECK(graph.to_json()["nodes"].is_array());  // written back in the native shape
  }

  TEST_CASE("to_json and from_json round trip") {
    GraphDef graph = GraphDef::parse(design_example);
    graph.edges[1].label = "always";
    const Json json = graph.to_json();
    CHECK(json["nodes"][1] == Json{{"id", "price"},
                                   {"type", "compute"},
                                   {"set", {{"discount", "order.total >= 100 ? 0.1 : 0.0"}}}});
    CHECK(json["edges"][1] == Json{{"from", "price"}, {"to", "notify"}, {"label", "always"}});
    const GraphDef again = GraphDef::from_json(json);
    CHECK(again.to_json() == json);
    CHECK(again.edges[1].label == "always");
    CHECK(again.edges[0].when == "validate");

    const GraphDef rust = GraphDef::from_json({{"nodes", {{"a", "RuleNode"}}}});
    CHECK(GraphDef::from_json(rust.to_json()).to_json() == rust.to_json());
    CHECK_FALSE(GraphDef{}.to_json().contains("name"));
  }

  TEST_CASE("the builder makes a graph that validates and serialises") {
    GraphDef graph;
    graph.name = "built";
    graph.node("check", "rule", {{"condition", "order.total > 0"}})
        .node("wait", "delay", {{"ms", 5}})
        .node("done", "compute")
        .edge("check", "wait", "check")
        .edge("wait", "done");
    CHECK(graph.validate().empty());
    CHECK(graph.edges[0].when == "check");
    CHECK_FALSE(graph.edges[1].when.has_value());
    CHECK(graph.find_node("done")->config == Json::object());
    const GraphDef read = GraphDef::from_json(graph.to_json());
    CHECK(read.nodes.size() == 3);
    CHECK(read.to_json() == graph.to_json());
  }

  TEST_CASE("validate() reports what the builder let through") {
    GraphDef graph;
    graph.node("a", "", Json::array()).node("", "rule").node("b", "rule", {{"id", "x"}});
    graph.node("a", "rule").edge("a", "").edge("a", "zz").edge("b", "b");
    const auto problems = graph.validate();
    CHECK(has(problems, "graph: nodes[0] (id 'a'): field 'type'", "must not be empty"));
    CHECK(has(problems, "graph: nodes[0] (id 'a'): config", "must be an object, got array"));
    CHECK(has(problems, "graph: nodes[1]: field 'id'", "must not be empty"));
    CHECK(has(problems, "graph: nodes[2] (id 'b'): config", "must not hold 'id'"));
    CHECK(has(problems, "graph: nodes[3] (id 'a')", "duplicate id 'a', already used by nodes[0]"));
    CHECK(has(problems, "graph: edges[0] (a -> ): field 'to'", "must not be empty"));
    CHECK(has(problems, "graph: edges[1] (a -> zz): field 'to'", "unknown node 'zz'"));
    CHECK(has(problems, "graph: edges[2] (b -> b)", "self-loop"));
    CHECK(problems.size() == 8);
  }

  TEST_CASE("invalid JSON names line, column and byte offset") {
    SUBCASE("a bad literal on line 3") {
      const auto problems = problems_of_text("{\n  \"nodes\": [],\n  \"name\": tru }");
      REQUIRE(problems.size() == 1);
      CHECK(problems[0].where == "g.json: line 3, column 14");
      CHECK(problems[0].message.find("invalid JSON (byte offset 30)") == 0);
      CHECK(problems[0].message.find("invalid literal") != std::string::npos);
    }
    SUBCASE("columns count characters, not bytes") {
      const auto problems = problems_of_text("{\"name\": \"h\xc3\xa9llo\" x}");
      CHECK(problems.at(0).where == "g.json: line 1, column 18");
      CHECK(problems.at(0).message.find("byte offset 18") != std::string::npos);
    }
    SUBCASE("empty text and a trailing comma") {
      CHECK(problems_of_text("").at(0).where == "g.json: line 1, column 1");
      CHECK(problems_of_text("{\"nodes\": [],}").at(0).where == "g.json: line 1, column 14");
    }
  }

  TEST_CASE("load names the file when it is missing, unreadable or invalid") {
    const auto dir =
        std::filesystem::temp_directory_path() / fmt::format("lg_test_graph_def-{}", ::getpid());
    std::filesystem::create_directories(dir);
    const auto missing = dir / "does_not_exist.json";
    auto problems = problems_of([&] { (void)GraphDef::load(missing); });
    CHECK(problems.at(0).where == missing.string());
    CHECK(problems.at(0).message.find("cannot read the graph file") == 0);

    CHECK(problems_of([&] { (void)GraphDef::load(dir); }).at(0).message.find("directory") !=
          std::string::npos);

    const auto bad = dir / "bad.json";
    std::ofstream(bad) << "{\n\"nodes\": [}";
    problems = problems_of([&] { (void)GraphDef::load(bad); });
    CHECK(problems.at(0).where == bad.string() + ": line 2, column 11");

    const auto cyclic = dir / "cyclic.json";
    std::ofstream(cyclic) << two_nodes(
        {{{"from", "a"}, {"to", "b"}}, {{"from", "b"}, {"to", "a"}}});
    problems = problems_of([&] { (void)GraphDef::load(cyclic); });
    CHECK(problems.at(0).where == cyclic.string() + ": nodes[0] (id 'a')");
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("every graph in graphs/ loads and validates") {
    const auto dir = graphs_dir();
    for (const char* name :
         {"order_flow.json", "diamond.json", "rust_shape.json", "rust_yaml_flow.yaml"}) {
      CHECK_MESSAGE(std::filesystem::exists(dir / name), name);
    }
    int loaded = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json" && entry.path().extension() != ".yaml") {
        continue;
      }
      INFO(entry.path().string());
      GraphDef graph;
      CHECK_NOTHROW(graph = GraphDef::load(entry.path()));
      CHECK(graph.validate().empty());
      CHECK_FALSE(graph.nodes.empty());
      ++loaded;
    }
    CHECK(loaded >= 3);
    const GraphDef diamond = GraphDef::load(dir / "diamond.json");
    CHECK(diamond.nodes.size() == 5);
    CHECK(GraphDef::load(dir / "rust_shape.json").find_node("check_permissions")->type == "rule");
  }

  TEST_CASE("a 100,000-node chain validates, a 100,000-node cycle is reported in full") {
    constexpr int n = 100'000;
    Json nodes = Json::array();
    Json edges = Json::array();
    for (int i = 0; i < n; ++i) {
      nodes.push_back({{"id", fmt::format("n{}", i)}, {"type", "rule"}});
      if (i + 1 < n) {
        edges.push_back({{"from", fmt::format("n{}", i)}, {"to", fmt::format("n{}", i + 1)}});
      }
    }
    Json chain = {{"nodes", nodes}, {"edges", edges}};
    const GraphDef graph = GraphDef::from_json(chain);
    CHECK(graph.validate().empty());

    edges.push_back({{"from", fmt::format("n{}", n - 1)}, {"to", "n0"}});
    const auto problems =
        problems_of_json({{"nodes", std::move(nodes)}, {"edges", std::move(edges)}});
    REQUIRE(problems.size() == 1);
    const std::string& message = problems[0].message;
    CHECK(message.rfind("cycle: n0 -> n1 -> n2 -> ", 0) == 0);
    CHECK(message.ends_with(" -> n99999 -> n0"));
    CHECK(std::count(message.begin(), message.end(), '>') == n);
  }

  TEST_CASE("nesting deeper than the limit is refused, not a stack overflow") {
    std::string deep = R"({"nodes": [{"id": "a", "type": "rule", "condition": "true", "x": )";
    deep += std::string(100'000, '[') + std::string(100'000, ']') + "}]}";
    try {
      static_cast<void>(lg::GraphDef::parse(deep, "deep.json"));
      FAIL("no error");
    } catch (const lg::GraphError& e) {
      CHECK(std::string(e.what()).find("deep.json: line 1, column") != std::string::npos);
      CHECK(std::string(e.what()).find("nested deeper than 256 levels") != std::string::npos);
    }
    nlohmann::json nested = nlohmann::json::array();
    for (int i = 0; i < 300; ++i) {
      nested = nlohmann::json::array({std::move(nested)});
    }
    nlohmann::json graph = {{"nodes", {{{"id", "a"}, {"type", "rule"}, {"x", nested}}}}};
    CHECK_THROWS_WITH_AS(lg::GraphDef::from_json(graph), doctest::Contains("nested deeper"),
                         lg::GraphError);
    const std::string strings_do_not_count = R"({"nodes": [{"id": "[[[[[[", "type": "rule"}]})";
    CHECK(lg::GraphDef::parse(strings_do_not_count).nodes.size() == 1);
  }
}
