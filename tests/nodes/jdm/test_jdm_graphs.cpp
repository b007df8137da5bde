// JDM graphs as wholes: reading them (and their errors), what each node receives, which nodes
// make the result, sub-decisions, and running them through lgraph.

#include "nodes/jdm/jdm_builder.hpp"

#include <logic_graph/nodes/jdm.hpp>

#include <doctest/doctest.h>
#include <boost/asio/use_future.hpp>

#include <map>
#include <thread>
#include <vector>

using lg::test::Jdm;
using Json = nlohmann::json;

namespace {

std::string problems_of(const Json& doc) {
  try {
    (void)lg::GraphDef::from_json(doc, "model.json");
  } catch (const lg::GraphError& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST_SUITE("jdm graphs") {
  TEST_CASE("a JDM document is read as a graph: its input whole, a result node last") {
    Jdm model;
    model.input().expression("calc", Json::array({{"y", "x + 1"}})).edge("in", "calc");
    const lg::GraphDef graph = model.graph();
    CHECK(graph.input_key == "jdm:input");
    CHECK(graph.result == "jdm:result");
    REQUIRE(graph.nodes.size() == 3);
    CHECK(graph.nodes[1].type == "expressionNode");
    CHECK(graph.nodes[1].config["name"] == "calc");
    CHECK(graph.nodes[2].id == "jdm:result");
    // The native form reads back the same (validate, dot and the service see a plain graph).
    const lg::GraphDef again = lg::GraphDef::from_json(graph.to_json());
    CHECK(again.to_json() == graph.to_json());
  }

  TEST_CASE("reading errors name the node by index, id and name") {
    Jdm unknown;
    unknown.input().node("n1", "scriptNode", Json::object()).edge("in", "n1");
    CHECK(
        problems_of(unknown.doc())
            .find("model.json: nodes[1] (id 'n1', name 'n1'): field 'type': unknown JDM node type "
                  "'scriptNode'") != std::string::npos);
    Jdm no_input;
    no_input.expression("calc", Json::array({{"y", "1"}}));
    CHECK(problems_of(no_input.doc()).find("needs exactly one inputNode, found 0") !=
          std::string::npos);
    Jdm two_inputs;
    two_inputs.input("a").input("b");
    CHECK(problems_of(two_inputs.doc()).find("found 2") != std::string::npos);
    Jdm bad_edge;
    bad_edge.input().edge("in", "nowhere");
    CHECK(problems_of(bad_edge.doc()).find("unknown node 'nowhere'") != std::string::npos);
    Jdm cycle;
    cycle.input()
        .expression("a", Json::array({{"y", "1"}}))
        .expression("b", Json::array({{"y", "1"}}))
        .edge("in", "a")
        .edge("a", "b")
        .edge("b", "a");
    CHECK(problems_of(cycle.doc()).find("cycle") != std::string::npos);
    Json no_content = {{"nodes",
                        {{{"id", "in"}, {"name", "in"}, {"type", "inputNode"}},
                         {{"id", "t"}, {"name", "table"}, {"type", "decisionTableNode"}}}},
                       {"edges", Json::array()}};
    CHECK(problems_of(no_content).find("(id 't', name 'table'): field 'content': missing") !=
          std::string::npos);
  }

  TEST_CASE("function and custom nodes are refused unless the user registers them") {
    Jdm model;
    model.input()
        .node("js", "functionNode", "export const handler = async (input) => input;")
        .node("mine", "customNode", {{"kind", "score"}, {"config", {{"factor", 2}}}})
        .edge("in", "js")
        .edge("in", "mine");
    CHECK_THROWS_WITH_AS((void)model.decide(Json::object()),
                         doctest::Contains("a functionNode is not supported (it runs JavaScript)"),
                         lg::GraphError);
    // A customNode kind of the application's, and a functionNode stand-in.
    struct Score final : lg::SyncNode {
      explicit Score(const lg::NodeDef& def)
          : SyncNode(def), factor_(def.config["content"]["config"]["factor"].get<int>()) {}
      Json do_run(lg::NodeScope& scope) const override {
        return {{"score", scope.get("jdm:input")->at("x").get<int>() * factor_}};
      }
      int factor_;
    };
    lg::NodeRegistry registry = lg::builtin_nodes();
    registry.replace("customNode", [](const lg::NodeBuild& build) -> std::unique_ptr<lg::Node> {
      return std::make_unique<Score>(build.def());
    });
    registry.replace("functionNode", [](const lg::NodeBuild& build) -> std::unique_ptr<lg::Node> {
      struct Echo final : lg::SyncNode {
        explicit Echo(const lg::NodeDef& def) : SyncNode(def) {}
        Json do_run(lg::NodeScope&) const override { return {{"echo", true}}; }
      };
      return std::make_unique<Echo>(build.def());
    });
    CHECK(model.decide({{"x", 21}}, registry) == Json{{"score", 42}, {"echo", true}});
  }

  TEST_CASE("a node receives its parents merged deeply, the first edge's parent winning") {
    Jdm model;
    model.input()
        .expression("a", Json::array({{"who", "'a'"}, {"deep.a", "1"}, {"list", "[1, 2]"}}))
        .expression(
            "b", Json::array({{"who", "'b'"}, {"deep.b", "2"}, {"list", "[3]"}, {"gone", "null"}}))
        .expression("join", Json::array({{"seen", "$root"}}))
        .edge("in", "a")
        .edge("in", "b")
        .edge("a", "join")
        .edge("b", "join");
    // ZEN starts from the last edge's parent, copied whole (its null member stays), and merges
    // the others into it: the first edge's parent last, so it wins; arrays replace.
    CHECK(
        model.decide(Json::object()) ==
        Json{
            {"seen",
             {{"who", "a"}, {"deep", {{"a", 1}, {"b", 2}}}, {"list", {1, 2}}, {"gone", nullptr}}}});
    // A null in a parent merged later deletes the key.
    Jdm deleting;
    deleting.input()
        .expression("a", Json::array({{"k", "null"}}))
        .expression("b", Json::array({{"k", "1"}, {"other", "2"}}))
        .expression("join", Json::array({{"seen", "$root"}}))
        .edge("in", "a")
        .edge("in", "b")
        .edge("a", "join")
        .edge("b", "join");
    CHECK(deleting.decide(Json::object()) == Json{{"seen", {{"other", 2}}}});
  }

  TEST_CASE("the result: the leaves ZEN's walk reaches before the first output node") {
    // The walk goes down the first edge first: with the output first, the other leaf is never
    // reached; with it second, the other leaf comes first and counts.
    for (const bool output_first : {true, false}) {
      CAPTURE(output_first);
      Jdm model;
      model.input().expression("x", Json::array({{"x", "1"}})).output();
      if (output_first) {
        model.edge("in", "out").edge("in", "x");
      } else {
        model.edge("in", "x").edge("in", "out");
      }
      const Json expected = output_first ? Json{{"v", 5}} : Json{{"v", 5}, {"x", 1}};
      CHECK(model.decide({{"v", 5}}) == expected);
    }
    // Top-level nulls never show; $nodes keys are removed at any depth.
    Jdm passing;
    passing.input().output().edge("in", "out");
    CHECK(passing.decide({{"a", nullptr}, {"b", {{"c", nullptr}, {"$nodes", 1}}}}) ==
          Json{{"b", {{"c", nullptr}}}});
  }

  TEST_CASE("$nodes: the results of the nodes before, by name") {
    Jdm model;
    model.input()
        .expression("first", Json::array({{"n", "x * 2"}}))
        .expression("second", Json::array({{"seen", "$nodes.first.n + $nodes.in.x"}}))
        .edge("in", "first")
        .edge("first", "second");
    CHECK(model.decide({{"x", 5}}) == Json{{"seen", 15}});
  }

  TEST_CASE("a decision node runs its model, found by the loader, with its input") {
    std::map<std::string, Json> store;
    Jdm child;
    child.input()
        .expression("c", Json::array({{"doubled", "n * 2"}}))
        .output()
        .edge("in", "c")
        .edge("c", "out");
    store["child.json"] = child.doc();
    Jdm parent;
    parent.input()
        .node("sub", "decisionNode",
              {{"key", "child.json"}, {"inputField", "item"}, {"outputPath", "priced"}})
        .node("each", "decisionNode",
              {{"key", "child.json"},
               {"inputField", "items"},
               {"executionMode", "loop"},
               {"outputPath", "all"}})
        .edge("in", "sub")
        .edge("in", "each");
    lg::NodeRegistry registry = lg::builtin_nodes();
    int loads = 0;
    lg::jdm::set_loader(registry, [&](const std::string& key, const lg::GraphDef&) {
      ++loads;
      return lg::GraphDef::from_json(store.at(key), key);
    });
    CHECK(parent.decide({{"item", {{"n", 2}}}, {"items", {{{"n", 1}}, {{"n", 3}}}}}, registry) ==
          Json{{"priced", {{"doubled", 4}}}, {"all", {{{"doubled", 2}}, {{"doubled", 6}}}}});
    CHECK(loads == 2);
    // A model the loader does not know: an error naming the node and the key.
    Jdm missing;
    missing.input().node("sub", "decisionNode", {{"key", "nope.json"}}).edge("in", "sub");
    CHECK_THROWS_WITH_AS((void)missing.decide(Json::object(), registry),
                         doctest::Contains("JDM node 'sub': cannot load 'nope.json'"),
                         lg::GraphError);
  }

  TEST_CASE("a model that includes itself fails at ZEN's depth limit, when it runs") {
    Jdm loop;
    loop.input()
        .switch_node("more", "first", Json::array({{"again", "n > 0"}}))
        .node("self", "decisionNode", {{"key", "self.json"}})
        .edge("in", "more")
        .edge("more", "self", "again");
    lg::NodeRegistry registry = lg::builtin_nodes();
    lg::jdm::set_loader(registry, [&](const std::string& key, const lg::GraphDef&) {
      return lg::GraphDef::from_json(loop.doc(), key);
    });
    // n <= 0: the branch is not taken, and the model runs fine.
    CHECK(loop.decide({{"n", 0}}, registry) == Json::object());
    CHECK_THROWS_WITH_AS((void)loop.decide({{"n", 1}}, registry),
                         doctest::Contains("Depth limit exceeded"), lg::ExecutionError);
  }

  TEST_CASE("outputs pass between nodes as ZEN's values: decimals exact, JSON when traced") {
    Jdm model;
    model.input()
        .expression("third", Json::array({{"t", "x / 3"}}), {{"passThrough", true}})
        .table("back", "first", Json::array({{"c1", "t"}}), Json::array({{"o1", "whole"}}),
               Json::array({{{"c1", "> 0"}, {"o1", "t * 3"}}}), {{"passThrough", true}})
        .edge("in", "third")
        .edge("third", "back");
    const lg::GraphDef graph = model.graph();
    lg::Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    const lg::ExecutionResult result = executor.run({{"x", 1}});
    // 1/3 with 28 digits, times 3: what ZEN computes (through doubles it would be 16 nines).
    const lg::zen::SharedValue* exact = lg::jdm::decision(result, graph);
    REQUIRE(exact != nullptr);
    CHECK(exact->dump() ==
          R"({"t":0.3333333333333333333333333333,"whole":0.9999999999999999999999999999,"x":1})");
    CHECK(exact->to_json().at("whole") == 0.9999999999999999999999999999);  // JSON: doubles
    // In the context, the nodes' outputs are JSON only when the execution is traced.
    CHECK(result.context().get("third")->is_null());
    CHECK(result.context().get(graph.result)->is_null());
    const lg::ExecutionResult traced =
        executor.run({{"x", 1}}, lg::ExecutionOptions{.trace = true});
    CHECK(*traced.context().get("third") == Json{{"t", 1.0 / 3}, {"x", 1}});
    CHECK(traced.context().get("back")->at("whole") == 0.9999999999999999999999999999);
    CHECK(*traced.context().get(graph.result) == exact->to_json());
  }

  TEST_CASE("one model, many executions at once from several threads") {
    Jdm model;
    model.input()
        .table("t", "first", Json::array({{"c1", "n"}}), Json::array({{"o1", "half"}}),
               Json::array({{{"c1", "> 0"}, {"o1", "n / 2"}}, {{"c1", ""}, {"o1", "0"}}}))
        .output()
        .edge("in", "t")
        .edge("t", "out");
    const lg::GraphDef graph = model.graph();
    lg::Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          const int n = t * 1000 + i;
          auto future = executor.async_execute({{"n", n}}, boost::asio::use_future);
          const lg::ExecutionResult result = future.get();
          const Json half = lg::jdm::decision(result, graph)->to_json();
          wrong[t] += half == Json{{"half", n > 0 ? n / 2.0 : 0}} ? 0 : 1;
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    CHECK(wrong == std::vector<int>(4, 0));
  }
}
