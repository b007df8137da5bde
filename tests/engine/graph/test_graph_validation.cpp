// GraphDef's checks: every structural problem with its place, several at once, cycles.

#include <logic_graph/engine/graph/graph_def.hpp>

#include "engine/graph/graph_problems.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

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
  TEST_CASE("each structural problem names its place") {
    const Json node_a = {{"id", "a"}, {"type", "rule"}};
    SUBCASE("root not an object") {
      const auto d = only_problem(Json::array());
      CHECK(d.where == "g.json");
      CHECK(d.message == "a graph must be a JSON object, got array");
    }
    SUBCASE("nodes missing or of the wrong type") {
      CHECK(only_problem(Json::object()).to_string() == "g.json: field 'nodes': missing");
      CHECK(has({only_problem({{"nodes", 3}})}, "g.json: field 'nodes'", "got number"));
    }
    SUBCASE("name not a string") {
      CHECK(has(problems_of_json({{"name", 1}, {"nodes", Json::array()}}), "g.json: field 'name'",
                "must be a string, got number"));
    }
    SUBCASE("node not an object") {
      CHECK(has({only_problem({{"nodes", {node_a, "b"}}})}, "g.json: nodes[1]",
                "must be an object with 'id' and 'type', got string"));
    }
    SUBCASE("id missing, empty or not a string") {
      const auto problems = problems_of_json(
          {{"nodes",
            {{{"type", "rule"}}, {{"id", ""}, {"type", "rule"}}, {{"id", 7}, {"type", "rule"}}}}});
      CHECK(problems.size() == 3);
      CHECK(has(problems, "g.json: nodes[0]: field 'id'", "missing"));
      CHECK(has(problems, "g.json: nodes[1]: field 'id'", "must not be empty"));
      CHECK(has(problems, "g.json: nodes[2]: field 'id'", "must be a string, got number"));
    }
    SUBCASE("duplicate id names both places") {
      const auto d = only_problem({{"nodes", {node_a, {{"id", "b"}, {"type", "rule"}}, node_a}}});
      CHECK(d.where == "g.json: nodes[2] (id 'a')");
      CHECK(d.message == "duplicate id 'a', already used by nodes[0] (id 'a')");
    }
    SUBCASE("type missing or not a string") {
      const auto problems =
          problems_of_json({{"nodes", {{{"id", "a"}}, {{"id", "b"}, {"type", false}}}},
                            {"edges", {{{"from", "a"}, {"to", "b"}}}}});
      CHECK(problems.size() == 2);  // the edge between them is not blamed
      CHECK(has(problems, "g.json: nodes[0] (id 'a'): field 'type'", "missing"));
      CHECK(has(problems, "g.json: nodes[1] (id 'b'): field 'type'", "got boolean"));
    }
    SUBCASE("edges not an array, edge not an object") {
      CHECK(has({only_problem(two_nodes(Json::object()))}, "g.json: field 'edges'",
                "must be an array of edges, got object"));
      CHECK(has({only_problem(two_nodes({5}))}, "g.json: edges[0]",
                "must be an object with 'from' and 'to', got number"));
    }
    SUBCASE("from or to missing or not a string") {
      const auto problems = problems_of_json(
          two_nodes({{{"to", "b"}}, {{"from", "a"}}, {{"from", "a"}, {"to", 2}}, Json::object()}));
      CHECK(problems.size() == 5);
      CHECK(has(problems, "g.json: edges[0]: field 'from'", "missing"));
      CHECK(has(problems, "g.json: edges[1]: field 'to'", "missing"));
      CHECK(has(problems, "g.json: edges[2]: field 'to'",
                "must be a string (a node id), got number"));
      CHECK(has(problems, "g.json: edges[3]: field 'from'", "missing"));
      CHECK(has(problems, "g.json: edges[3]: field 'to'", "missing"));
    }
    SUBCASE("edge to or from an unknown node") {
      const auto problems = problems_of_json(
          two_nodes({{{"from", "a"}, {"to", "nope"}}, {{"from", "x"}, {"to", "b"}}}));
      CHECK(problems.size() == 2);
      CHECK(has(problems, "g.json: edges[0] (a -> nope): field 'to'", "unknown node 'nope'"));
      CHECK(has(problems, "g.json: edges[1] (x -> b): field 'from'", "unknown node 'x'"));
    }
    SUBCASE("self-loop") {
      const auto d = only_problem(two_nodes({{{"from", "a"}, {"to", "a"}}}));
      CHECK(d.to_string() ==
            "g.json: edges[0] (a -> a): self-loop: node 'a' has an edge to itself");
    }
    SUBCASE("duplicate edge names both places") {
      const auto d = only_problem(
          two_nodes({{{"from", "a"}, {"to", "b"}}, {{"from", "a"}, {"to", "b"}, {"when", "a"}}}));
      CHECK(d.where == "g.json: edges[1] (a -> b)");
      CHECK(d.message == "duplicate edge, same from and to as edges[0] (a -> b)");
    }
    SUBCASE("when, label or rule not a string, unknown edge fields") {
      const auto problems = problems_of_json(two_nodes({{{"from", "a"},
                                                         {"to", "b"},
                                                         {"when", 1},
                                                         {"label", true},
                                                         {"rule", 2},
                                                         {"cond", "x"}}}));
      CHECK(problems.size() == 4);
      CHECK(
          has(problems, "g.json: edges[0] (a -> b): field 'when'", "must be a string, got number"));
      CHECK(has(problems, "g.json: edges[0] (a -> b): field 'label'", "got boolean"));
      CHECK(has(problems, "g.json: edges[0] (a -> b): field 'rule'", "got number"));
      CHECK(has(problems, "g.json: edges[0] (a -> b): field 'cond'", "unknown"));
      CHECK(has({only_problem(two_nodes({{{"from", "a"}, {"to", "b"}, {"when", nullptr}}}))},
                "g.json: edges[0] (a -> b): field 'when'", "got null"));
      CHECK(has(
          {only_problem(two_nodes({{{"from", "a"}, {"to", "b"}, {"label", "x"}, {"rule", "y"}}}))},
          "g.json: edges[0] (a -> b): field 'rule'", "'label' is given too"));
    }
    SUBCASE("unknown top-level keys, in either shape, list the accepted ones") {
      // A misspelt "edges" must not leave the node it gates ungated.
      const auto native =
          problems_of_json({{"nodes", {node_a, {{"id", "b"}, {"type", "rule"}}}},
                            {"edge", {{{"from", "a"}, {"to", "b"}, {"when", "false"}}}},
                            {"Name", "x"}});
      CHECK(native.size() == 2);
      for (const char* key : {"edge", "Name"}) {
        CHECK(has(native, fmt::format("g.json: field '{}'", key),
                  "unknown; a graph has 'name', 'description', 'metadata' (free, as "
                  "'description'), 'nodes', 'edges', 'input_key' and 'result'"));
      }
      CHECK(has({only_problem({{"nodes", {{"a", "RuleNode"}}}, {"edgs", Json::array()}})},
                "g.json: field 'edgs'", "unknown"));
      const auto no_nodes = problems_of_json({{"node", Json::array()}});
      CHECK(no_nodes.size() == 2);
      CHECK(has(no_nodes, "g.json: field 'node'", "unknown"));
      CHECK(has(no_nodes, "g.json: field 'nodes'", "missing"));
      CHECK(has({only_problem({{"nodes", Json::array()}, {"x\ny", 1}})}, "g.json: field 'x\\ny'",
                "unknown"));
    }
    SUBCASE("description is free text") {
      CHECK(GraphDef::from_json({{"description", "two steps"}, {"nodes", {node_a}}}).nodes.size() ==
            1);
      CHECK(has({only_problem({{"description", 2}, {"nodes", {node_a}}})},
                "g.json: field 'description'", "must be a string, got number"));
    }
    SUBCASE("a cycle, with its path") {
      const auto d = only_problem({{"nodes",
                                    {{{"id", "s"}, {"type", "rule"}},
                                     node_a,
                                     {{"id", "b"}, {"type", "rule"}},
                                     {{"id", "c"}, {"type", "rule"}}}},
                                   {"edges",
                                    {{{"from", "s"}, {"to", "a"}},
                                     {{"from", "a"}, {"to", "b"}},
                                     {{"from", "b"}, {"to", "c"}},
                                     {{"from", "c"}, {"to", "a"}}}}});
      CHECK(d.where == "g.json: nodes[1] (id 'a')");
      CHECK(d.message == "cycle: a -> b -> c -> a");
    }
    SUBCASE("rust shape: bad node value, bad node_type, reserved field, empty key") {
      const auto problems = problems_of_json({{"nodes",
                                               {{"n", 3},
                                                {"m", Json::object()},
                                                {"k", {{"node_type", 1}}},
                                                {"j", ""},
                                                {"i", {{"node_type", "RuleNode"}, {"id", "i"}}},
                                                {"", "RuleNode"}}}});
      CHECK(problems.size() == 6);
      CHECK(has(problems, "g.json: nodes['n']", "a type name such as \"RuleNode\""));
      CHECK(has(problems, "g.json: nodes['m']: field 'node_type'", "missing"));
      CHECK(has(problems, "g.json: nodes['k']: field 'node_type'", "got number"));
      CHECK(has(problems, "g.json: nodes['j']", "the node type must not be empty"));
      CHECK(has(problems, "g.json: nodes['i']: field 'id'", "not allowed here"));
      CHECK(has(problems, "g.json: nodes['']", "the node id (the key) must not be empty"));
    }
    SUBCASE("rust shape: a key repeated in the text is a duplicate id") {
      const auto problems =
          problems_of_text(R"({"nodes": {"a": "RuleNode", "b": "RuleNode", "a": "AINode"}})");
      REQUIRE(problems.size() == 1);
      CHECK(problems[0].where == "g.json: nodes['a']");
      CHECK(problems[0].message.find("duplicate id 'a': entries 1 and 3") != std::string::npos);
    }
    SUBCASE("ids with control characters are shown escaped") {
      CHECK(has({only_problem(two_nodes({{{"from", "a"}, {"to", "x\ny"}}}))},
                "g.json: edges[0] (a -> x\\ny): field 'to'", "unknown node 'x\\ny'"));
    }
  }

  TEST_CASE("several problems are reported together") {
    const Json json = {{"name", 5},
                       {"edge", Json::array()},
                       {"nodes",
                        {{{"id", "a"}, {"type", "rule"}},
                         {{"id", "a"}, {"type", "rule"}},
                         {{"type", "rule"}},
                         {{"id", "b"}, {"type", "rule"}}}},
                       {"edges",
                        {{{"from", "a"}, {"to", "ghost"}},
                         {{"from", "b"}, {"to", "b"}},
                         {{"from", "a"}, {"to", "b"}, {"when", 3}},
                         {{"from", "b"}, {"to", "a"}}}}};
    try {
      (void)GraphDef::from_json(json, "many.json");
      FAIL("no GraphError thrown");
    } catch (const GraphError& error) {
      const auto& problems = error.diagnostics();
      CHECK(problems.size() == 8);
      CHECK(has(problems, "many.json: field 'name'", "must be a string"));
      CHECK(has(problems, "many.json: field 'edge'", "unknown"));
      CHECK(has(problems, "many.json: nodes[1] (id 'a')", "duplicate id 'a'"));
      CHECK(has(problems, "many.json: nodes[2]: field 'id'", "missing"));
      CHECK(has(problems, "many.json: edges[0] (a -> ghost): field 'to'", "unknown node 'ghost'"));
      CHECK(has(problems, "many.json: edges[1] (b -> b)", "self-loop"));
      CHECK(has(problems, "many.json: edges[2] (a -> b): field 'when'", "must be a string"));
      CHECK(has(problems, "many.json: nodes[0] (id 'a')", "cycle: a -> b -> a"));
      const std::string what = error.what();
      CHECK(what.find("8 problems in the graph:") == 0);
      for (const Diagnostic& d : problems) {
        CHECK(what.find(d.to_string()) != std::string::npos);
      }
    }
  }

  TEST_CASE("cycles: each strongly connected group once, no false alarms") {
    GraphDef graph;
    for (const char* id : {"a", "b", "c", "d", "e", "f", "g"}) {
      graph.node(id, "rule");
    }
    graph.edge("a", "b").edge("b", "a").edge("b", "c").edge("c", "a");  // one group: a, b, c
    graph.edge("d", "e").edge("e", "f").edge("f", "d").edge("d", "g");  // another: d, e, f
    const auto problems = graph.validate();
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].where == "graph: nodes[0] (id 'a')");
    CHECK(problems[0].message ==
          "cycle: a -> b -> a (1 more node(s) lie on cycles with these: 'c')");
    CHECK(problems[1].message == "cycle: d -> e -> f -> d");

    GraphDef diamond;
    diamond.node("s", "rule").node("l", "rule").node("r", "rule").node("j", "rule");
    diamond.edge("s", "l").edge("s", "r").edge("l", "j").edge("r", "j").edge("s", "j");
    CHECK(diamond.validate().empty());
  }
}
