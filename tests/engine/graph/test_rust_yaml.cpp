// rust-logic-graph's graphs as its users keep them, in YAML: each shape its examples and case
// studies use, read from fixtures written in their style (tests/data/rust_yaml/), mapped onto
// native node types and validated by an executor's build with the built-in node types.

#include <logic_graph/engine/graph/graph_def.hpp>

#include <logic_graph/nodes/builtin_nodes.hpp>
#include "engine/graph/graph_problems.hpp"

#include <logic_graph/engine/exec/executor.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using lg::GraphDef;
using lg::test::edges_of;
using lg::test::has;
using lg::test::problems_of;
using lg::test::yaml;
using Json = nlohmann::json;

namespace {

std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(LG_SOURCE_DIR) / "tests" / "data" / "rust_yaml" / name;
}

// Builds an executor: every node type, config and expression is checked.
void check_builds(const GraphDef& graph) {
  CHECK_NOTHROW(lg::Executor(graph, lg::builtin_nodes(), {.threads = 1}));
}

}  // namespace

TEST_SUITE("rust-logic-graph yaml") {
  TEST_CASE("bare types: RuleNode, DBNode and AINode with the crate's defaults") {
    const GraphDef graph = GraphDef::load(fixture("bare_types.yaml"));
    CHECK(graph.find_node("receive")->config ==
          Json{{"rust_type", "RuleNode"}, {"condition", "true"}});
    const lg::NodeDef* lookup = graph.find_node("lookup");
    CHECK(lookup->type == "postgres");
    CHECK(lookup->config == Json{{"rust_type", "DBNode"},
                                 {"connection", "env:DATABASE_URL"},
                                 {"query", "SELECT * FROM lookup"}});
    const lg::NodeDef* summarise = graph.find_node("summarise");
    CHECK(summarise->type == "llm");
    CHECK(summarise->config ==
          Json{{"rust_type", "AINode"}, {"prompt", "Process data for summarise"}});
    CHECK(edges_of(graph) == std::vector<std::string>{"receive -> lookup", "lookup -> summarise"});
    CHECK(graph.edges[0].label == "request_ok");
    check_builds(graph);
  }

  TEST_CASE("the case study's shape: type, named databases, dependencies, field mappings") {
    const GraphDef graph = GraphDef::load(fixture("stock_check.yaml"));
    const lg::NodeDef* demand = graph.find_node("demand");
    CHECK(demand->type == "postgres");
    CHECK(demand->config ==
          Json{{"rust_type", "DBNode"},
               {"description", "Average daily demand"},
               {"connection", "env:SALES_DB_URL"},
               {"query", "SELECT sku, avg_daily::float8 AS avg_daily FROM demand WHERE sku = $1"},
               {"params", {"sku"}}});
    // A connection string wins over a database name, as in the case study's loader.
    CHECK(graph.find_node("stock")->config["connection"] ==
          "postgresql://reader@stock-host:5432/stock");
    CHECK_FALSE(graph.find_node("stock")->config.contains("database"));
    CHECK(graph.find_node("stock")->config["params"] == Json{"sku", "site"});
    const lg::NodeDef* reorder = graph.find_node("reorder");
    CHECK(reorder->type == "rule");
    CHECK(reorder->config == Json{{"rust_type", "RuleNode"},
                                  {"condition", "len(stock) > 0"},
                                  {"then",
                                   {{"demand_row", "demand"},
                                    {"daily", "demand.avg_daily"},
                                    {"stock_on_hand", "stock.on_hand"},
                                    {"odd", "stock[\"max(on_hand)\"]"}}}});
    CHECK(graph.find_node("notify")->config["prompt"] ==
          "Write a reorder note for {{sku}} at {{ site }}");
    // The edges the file lists, and one from a dependency it does not: no copies.
    CHECK(edges_of(graph) ==
          std::vector<std::string>{"demand -> reorder", "stock -> reorder", "reorder -> notify"});
    check_builds(graph);
  }

  TEST_CASE("short type names: db (SQLite by its file), ai, rule, subgraph from a file") {
    const GraphDef graph = GraphDef::load(fixture("typed_short.yaml"));
    CHECK(graph.find_node("start")->config == Json{{"rust_type", "rule"}, {"condition", "true"}});
    const lg::NodeDef* cache = graph.find_node("cache_read");
    CHECK(cache->type == "sqlite");
    CHECK(cache->config == Json{{"rust_type", "db"},
                                {"database", "cache.sqlite"},
                                {"query", "SELECT value FROM kv WHERE key = ?"},
                                {"params", {"cache_key"}},
                                {"mode", "value"}});
    CHECK(graph.find_node("explain")->config == Json{{"rust_type", "ai"},
                                                     {"model", "small-model"},
                                                     {"prompt", "Explain {{cache_read}}"}});
    const lg::NodeDef* price = graph.find_node("price");
    CHECK(price->type == "subgraph");
    CHECK(price->config == Json{{"rust_type", "subgraph"},
                                {"file", "price_part.yaml"},
                                {"input", {{"base", "amount"}}},
                                {"output", {{"price_total", "total"}}}});
    CHECK(edges_of(graph) == std::vector<std::string>{"start -> cache_read",
                                                      "cache_read -> explain", "start -> price"});
    check_builds(graph);  // the subgraph's file is read and built too
  }

  TEST_CASE("listed nodes with node_type and config, edges with condition, free metadata") {
    const GraphDef graph = GraphDef::load(fixture("listed_config.yaml"));
    CHECK(graph.find_node("check")->config == Json{{"rust_type", "Rule"},
                                                   {"condition", "total > 0"},
                                                   {"description", "Check the order"}});
    const lg::NodeDef* reserve = graph.find_node("reserve");
    CHECK(reserve->type == "postgres");
    CHECK(reserve->config["connection"] == "env:STOCK_URL");
    CHECK(reserve->config["params"] == Json{"quantity", "skus"});
    CHECK_FALSE(reserve->config.contains("db_type"));
    const lg::NodeDef* assess = graph.find_node("assess");
    CHECK(assess->type == "llm");
    CHECK(assess->config ==
          Json{{"rust_type", "AI"},
               {"endpoint", "https://api.openai.com/v1"},
               {"api_key_env", "OPENAI_API_KEY"},
               {"model", "gpt-4"},
               {"system", "You assess orders. Answer in JSON: {\"risk\": <0-100>}\n"},
               {"prompt", "Order of {{total}} for {{customer}}"},
               {"temperature", 0.2}});
    CHECK(edges_of(graph) ==
          std::vector<std::string>{"check -> reserve [check == true]", "reserve -> assess"});
    check_builds(graph);
    // Written back natively, it reads the same.
    CHECK(GraphDef::from_json(graph.to_json()).to_json() == graph.to_json());
  }

  TEST_CASE("a cycle is refused with its path") {
    const auto problems = problems_of([] { (void)GraphDef::load(fixture("cyclic.yaml")); });
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].where == fixture("cyclic.yaml").string() + ": nodes['first'] (line 4)");
    CHECK(problems[0].message == "cycle: first -> second -> third -> first");
    // Through dependencies too.
    const auto by_dependencies = problems_of([] {
      (void)yaml(
          "nodes:\n  a: {type: RuleNode, dependencies: [b]}\n"
          "  b: {type: RuleNode, dependencies: [a]}\n");
    });
    REQUIRE(by_dependencies.size() == 1);
    CHECK(by_dependencies[0].message == "cycle: a -> b -> a");
  }

  TEST_CASE("dependencies that name no node, the node itself or a node twice are refused") {
    const auto problems = problems_of([] {
      (void)yaml(R"(nodes:
  a: {type: RuleNode, dependencies: [ghost, a, b, b, 3]}
  b: {type: RuleNode, dependencies: b}
  c: {type: RuleNode, dependencies: ~}
)");
    });
    CHECK(problems.size() == 5);
    CHECK(has(problems, "g.yaml: nodes['a'] (line 2): field 'dependencies[0]'",
              "no node 'ghost' in the graph"));
    CHECK(has(problems, "g.yaml: nodes['a'] (line 2): field 'dependencies[1]'",
              "names this node itself"));
    CHECK(has(problems, "g.yaml: nodes['a'] (line 2): field 'dependencies[3]'",
              "'b' is listed twice"));
    CHECK(has(problems, "g.yaml: nodes['a'] (line 2): field 'dependencies[4]'",
              "must be a node id, found 3"));
    CHECK(has(problems, "g.yaml: nodes['b'] (line 3): field 'dependencies'",
              "must be a list of the ids of the nodes this one runs after, got string"));
    // Native nodes may list them too.
    const GraphDef native = yaml(R"(nodes:
  - {id: a, type: rule, condition: "true"}
  - {id: b, type: delay, ms: 1, dependencies: [a]}
)");
    CHECK(edges_of(native) == std::vector<std::string>{"a -> b"});
    CHECK_FALSE(native.nodes[1].config.contains("dependencies"));
  }

  TEST_CASE("type and node_type: one of them, the key is the id") {
    const auto problems = problems_of([] {
      (void)yaml(R"(nodes:
  a: {type: RuleNode, node_type: RuleNode}
  b: {description: "no type"}
  c: {type: RuleNode, id: c}
  d: {type: RuleNode, config: [1]}
  e: {type: RuleNode, condition: "true", config: {condition: "false"}}
)");
    });
    CHECK(has(problems, "g.yaml: nodes['a'] (line 2): field 'type'",
              "give one of 'node_type' and 'type'"));
    CHECK(has(problems, "g.yaml: nodes['b'] (line 3): field 'node_type'", "missing (or 'type')"));
    CHECK(has(problems, "g.yaml: nodes['c'] (line 4): field 'id'", "not allowed here"));
    CHECK(has(problems, "g.yaml: nodes['d'] (line 5): field 'config'",
              "must be an object of the node's fields, got array"));
    CHECK(has(problems, "g.yaml: nodes['e'] (line 6): field 'config.condition'",
              "given outside 'config' too"));
    const auto edge = problems_of([] {
      (void)yaml(
          "nodes:\n  a: RuleNode\n  b: RuleNode\nedges:\n"
          "  - {from: a, to: b, when: a, condition: a}\n");
    });
    CHECK(has(edge, "g.yaml: edges[0] (a -> b, line 5): field 'condition'",
              "'when' is given too; use one of them"));
  }

  // Not part of the suite's data: the crate's files are checked where a checkout is at hand
  // (LG_RUST_LOGIC_GRAPH=/path/to/rust-logic-graph), each with the outcome found for it.
  TEST_CASE("rust-logic-graph's own YAML files, given a checkout") {
    const char* root = std::getenv("LG_RUST_LOGIC_GRAPH");
    if (root == nullptr) {
      MESSAGE("LG_RUST_LOGIC_GRAPH is not set: the crate's files are not checked");
      return;
    }
    struct Expected {
      const char* file;
      const char* problem;  // empty: loads and validates
    };
    const Expected files[] = {
        {"examples/simple_flow.yaml", ""},
        {"examples/sample_graph.yaml", ""},
        {"examples/advanced_flow.yaml", ""},
        {"examples/grl_graph_flow.yaml", ""},
        {"examples/db_params_graph.yaml", ""},
        {"examples/discount_subgraph.yaml", ""},
        {"examples/multi_db_graph.yaml", ""},
        {"case_study/monolithic/purchasing_flow_graph.yaml", ""},
        {"examples/cyclic_graph.yaml", "cycle: a -> b -> c -> a"},
        // Its subgraph_file is relative to the crate's root, the working directory it runs in.
        {"examples/order_with_subgraph.yaml", "examples/examples/discount_subgraph.yaml"},
        // GRL rules in rule_content.
        {"examples/distributed_context_graph.yaml", "GRL rules"},
        // gRPC calls: no node type here.
        {"case_study/microservices/services/orchestrator-service/purchasing_flow_graph.yaml",
         "unknown node type 'grpc'"},
        // A context (an input), not a graph.
        {"examples/sample_context.yaml", "field 'nodes': missing"},
    };
    for (const Expected& expected : files) {
      const std::filesystem::path file = std::filesystem::path(root) / expected.file;
      CAPTURE(file);
      REQUIRE(std::filesystem::exists(file));
      std::string problem;
      try {
        const GraphDef graph = GraphDef::load(file);
        lg::Executor executor(graph, lg::builtin_nodes(), {.threads = 1});
      } catch (const lg::GraphError& e) {
        problem = e.what();
      }
      CAPTURE(problem);
      if (std::string_view(expected.problem).empty()) {
        CHECK(problem.empty());
      } else {
        CHECK(problem.find(expected.problem) != std::string::npos);
      }
    }
  }
}
