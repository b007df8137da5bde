// rust-logic-graph's control nodes (RetryNode, CircuitBreakerNode, TryCatchNode, SubgraphNode,
// LoopNode, ConditionalNode) read onto the native types, then run with the built-in nodes.

#include <logic_graph/engine/graph/graph_def.hpp>

#include "engine/graph/graph_problems.hpp"
#include "support/execution_failure.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

using lg::Executor;
using lg::GraphDef;
using lg::test::edges_of;
using lg::test::has;
using lg::test::problems_of_json;
using Json = nlohmann::json;

namespace {

Json run(const GraphDef& graph, Json input = nullptr) {
  Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
  return executor.run(std::move(input)).to_json();
}

}  // namespace

TEST_SUITE("rust-logic-graph nodes") {
  TEST_CASE("RetryNode: the target moves inside, its edges become the retry's, it recovers") {
    const GraphDef graph = GraphDef::from_json(
        {{"nodes",
          {{"start", "RuleNode"},
           {"fetch", {{"node_type", "scripted"}, {"schedule", "ffs"}, {"value", "'price'"}}},
           {"fetch_retry",
            {{"node_type", "RetryNode"},
             {"target_node_id", "fetch"},
             {"max_retries", 2},
             {"initial_delay_ms", 1},
             {"backoff_multiplier", 2.0}}},
           {"report", {{"node_type", "RuleNode"}, {"condition", "fetch_retry == 'price'"}}}}},
         {"edges",
          {{{"from", "start"}, {"to", "fetch"}},
           {{"from", "fetch_retry"}, {"to", "fetch"}},
           {{"from", "fetch"}, {"to", "report"}, {"rule", "fetched"}}}}});
    CHECK(graph.find_node("fetch") == nullptr);
    const lg::NodeDef* retry = graph.find_node("fetch_retry");
    REQUIRE(retry != nullptr);
    CHECK(retry->type == "retry");
    CHECK(retry->config == Json{{"rust_type", "RetryNode"},
                                {"attempts", 3},  // max_retries counts retries after the first
                                {"backoff_ms", 1},
                                {"node",
                                 {{"type", "scripted"},
                                  {"rust_type", "scripted"},
                                  {"schedule", "ffs"},
                                  {"value", "'price'"}}}});
    CHECK(edges_of(graph) ==
          std::vector<std::string>{"start -> fetch_retry", "fetch_retry -> report"});
    const Json out = run(graph);
    CHECK(out["fetch_retry"] == "price");
    CHECK(out["report"] == true);
  }

  TEST_CASE("RetryNode: the crate's default backoff, an inline node, a multiplier other than 2") {
    const GraphDef graph =
        GraphDef::from_json({{"nodes",
                              {{"r",
                                {{"node_type", "RetryNode"},
                                 {"max_retries", 0},
                                 {"node", {{"type", "rule"}, {"condition", "true"}}}}}}}});
    CHECK(graph.find_node("r")->config["backoff_ms"] == 100);
    CHECK(graph.find_node("r")->config["attempts"] == 1);
    CHECK(run(graph)["r"] == true);
    const auto problems = problems_of_json({{"nodes",
                                             {{"r",
                                               {{"node_type", "RetryNode"},
                                                {"max_retries", 1},
                                                {"backoff_multiplier", 1.5},
                                                {"node", {{"type", "rule"}}}}}}}});
    CHECK(
        has(problems, "g.json: nodes['r']: field 'backoff_multiplier'",
            "only 2 has an equivalent here (each wait doubles, up to max_backoff_ms), found 1.5"));
  }

  TEST_CASE("CircuitBreakerNode: timeout_ms per call inside, half_open_timeout_ms as reset_ms") {
    const GraphDef graph =
        GraphDef::from_json({{"nodes",
                              {{"svc", {{"node_type", "scripted"}, {"schedule", "t"}}},
                               {"guard",
                                {{"node_type", "CircuitBreakerNode"},
                                 {"target_node_id", "svc"},
                                 {"failure_threshold", 1},
                                 {"timeout_ms", 10},
                                 {"half_open_timeout_ms", 60000}}}}}});
    const lg::NodeDef* guard = graph.find_node("guard");
    REQUIRE(guard != nullptr);
    CHECK(guard->type == "circuit_breaker");
    CHECK(guard->config ==
          Json{{"rust_type", "CircuitBreakerNode"},
               {"failure_threshold", 1},
               {"reset_ms", 60000},
               {"node",
                {{"type", "timeout"},
                 {"ms", 10},
                 {"node", {{"type", "scripted"}, {"rust_type", "scripted"}, {"schedule", "t"}}}}}});
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    // The hung call is cut at 10 ms, a failure that opens the circuit: the next run is refused.
    CHECK(std::string(lg::test::failure(executor).what()) ==
          "node 'guard' failed: timed out after 10 ms");
    CHECK(std::string(lg::test::failure(executor).what())
              .starts_with("node 'guard' failed: circuit open after 1 failures in a row"));
    // The crate's defaults: a 5 s call limit, 30 s open.
    const GraphDef defaults = GraphDef::from_json({{"nodes",
                                                    {{"g",
                                                      {{"node_type", "CircuitBreakerNode"},
                                                       {"failure_threshold", 2},
                                                       {"node", {{"type", "rule"}}}}}}}});
    CHECK(defaults.find_node("g")->config["reset_ms"] == 30000);
    CHECK(defaults.find_node("g")->config["node"]["ms"] == 5000);
  }

  TEST_CASE("TryCatchNode: the catch node runs instead, finally is the edge after it") {
    const Json nodes = {{"risky", {{"node_type", "scripted"}, {"schedule", "f"}}},
                        {"recover", {{"node_type", "compute"}, {"set", {{"source", "'cache'"}}}}},
                        {"safe",
                         {{"node_type", "TryCatchNode"},
                          {"try_node_id", "risky"},
                          {"catch_node_id", "recover"},
                          {"finally_node_id", "audit"}}},
                        {"audit", {{"node_type", "RuleNode"}, {"condition", "source == 'cache'"}}}};
    const GraphDef graph =
        GraphDef::from_json({{"nodes", nodes}, {"edges", {{{"from", "safe"}, {"to", "audit"}}}}});
    CHECK(graph.find_node("safe")->type == "try");
    CHECK(graph.find_node("recover") == nullptr);
    const Json out = run(graph);
    CHECK(out["source"] == "cache");
    CHECK(out["audit"] == true);
    // Without an edge from it, nothing would run the finally node after the try.
    CHECK(has(problems_of_json({{"nodes", nodes}}),
              "g.json: nodes['safe']: field 'finally_node_id'",
              "needs an edge from 'safe' to 'audit'"));
    // Without a catch node the error is swallowed: the result is null.
    const GraphDef swallow = GraphDef::from_json(
        {{"nodes",
          {{"risky", {{"node_type", "scripted"}, {"schedule", "f"}}},
           {"safe", {{"node_type", "TryCatchNode"}, {"try_node_id", "risky"}}}}}});
    CHECK(run(swallow)["safe"].is_null());
  }

  TEST_CASE("ConditionalNode: a rule whose branches gate its edges") {
    const GraphDef graph = GraphDef::from_json(
        {{"nodes",
          {{"decide",
            {{"node_type", "ConditionalNode"},
             {"condition", "amount > 100"},
             {"true_branch", "big"},
             {"false_branch", "small"}}},
           {"big", "RuleNode"},
           {"small", "RuleNode"}}},
         {"edges", {{{"from", "decide"}, {"to", "big"}}, {{"from", "decide"}, {"to", "small"}}}}});
    CHECK(graph.find_node("decide")->type == "rule");
    CHECK(edges_of(graph) ==
          std::vector<std::string>{"decide -> big [decide]", "decide -> small [!decide]"});
    const Json large = run(graph, {{"amount", 150}});
    CHECK(large["decide"] == true);
    CHECK(large.contains("big"));
    CHECK_FALSE(large.contains("small"));
    const Json little = run(graph, {{"amount", 5}});
    CHECK_FALSE(little.contains("big"));
    CHECK(little.contains("small"));
    CHECK(has(
        problems_of_json(
            {{"nodes",
              {{"decide",
                {{"node_type", "ConditionalNode"}, {"condition", "true"}, {"true_branch", "big"}}},
               {"big", "RuleNode"}}}}),
        "g.json: nodes['decide']: field 'true_branch'",
        "needs an edge from 'decide' to 'big' (a branch gates an edge)"));
  }

  TEST_CASE("SubgraphNode: graph_def inline, its mappings turned round") {
    const GraphDef graph = GraphDef::from_json(
        {{"nodes",
          {{"calc",
            {{"node_type", "SubgraphNode"},
             {"graph_def",
              {{"nodes", {{"double", {{"node_type", "compute"}, {"set", {{"y", "x * 2"}}}}}}}}},
             {"input_mapping", {{"amount", "x"}}},
             {"output_mapping", {{"y", "doubled"}}}}}}}});
    const lg::NodeDef* calc = graph.find_node("calc");
    CHECK(calc->type == "subgraph");
    CHECK(calc->config["input"] == Json{{"x", "amount"}});
    CHECK(calc->config["output"] == Json{{"doubled", "y"}});
    CHECK(run(graph, {{"amount", 21}})["doubled"] == 42);
  }

  TEST_CASE("LoopNode: over collection_key a foreach, else a while loop with its body inside") {
    const GraphDef each = GraphDef::from_json(
        {{"nodes",
          {{"each",
            {{"node_type", "LoopNode"}, {"collection_key", "items"}, {"body_node_id", "tenfold"}}},
           {"tenfold", {{"node_type", "compute"}, {"set", {{"v", "_loop_item * 10"}}}}}}}});
    const lg::NodeDef* foreach = each.find_node("each");
    CHECK(foreach->type == "foreach");
    CHECK(foreach->config["items"] == "items");
    CHECK(foreach->config["as"] == "_loop_item");
    CHECK(foreach->config["index_as"] == "_loop_index");
    CHECK(foreach->config["node"]["type"] == "compute");
    CHECK(each.find_node("tenfold") == nullptr);

    const GraphDef loop =
        GraphDef::from_json({{"nodes",
                              {{"count",
                                {{"node_type", "LoopNode"},
                                 {"condition", "n < 3"},
                                 {"max_iterations", 10},
                                 {"state", {{"n", "0"}}},
                                 {"body_node_id", "step"}}},
                               {"step", {{"node_type", "compute"}, {"set", {{"n", "n + 1"}}}}}}}});
    const lg::NodeDef* counted = loop.find_node("count");
    CHECK(counted->type == "loop");
    CHECK(counted->config["while"] == "n < 3");
    CHECK(counted->config["graph"] == Json{{"nodes",
                                            {{{"id", "step"},
                                              {"type", "compute"},
                                              {"rust_type", "compute"},
                                              {"set", {{"n", "n + 1"}}}}}}});
    CHECK(run(loop)["count"] == Json{{"n", 3}});
  }

  TEST_CASE("what has no equivalent, or names no node, is refused with the field") {
    const auto problems = problems_of_json(
        {{"nodes",
          {{"bare", "RetryNode"},
           {"self", {{"node_type", "RetryNode"}, {"max_retries", 1}, {"target_node_id", "self"}}},
           {"ghost", {{"node_type", "RetryNode"}, {"max_retries", 1}, {"target_node_id", "x"}}},
           {"a", {{"node_type", "RetryNode"}, {"max_retries", 1}, {"target_node_id", "t"}}},
           {"b",
            {{"node_type", "CircuitBreakerNode"},
             {"failure_threshold", 1},
             {"target_node_id", "t"}}},
           {"t", "RuleNode"},
           {"ring1", {{"node_type", "RetryNode"}, {"max_retries", 1}, {"target_node_id", "ring2"}}},
           {"ring2", {{"node_type", "RetryNode"}, {"max_retries", 1}, {"target_node_id", "ring1"}}},
           {"many",
            {{"node_type", "RetryNode"}, {"max_retries", -1}, {"node", {{"type", "rule"}}}}},
           {"cond", "ConditionalNode"},
           {"sub", "SubgraphNode"},
           {"lp",
            {{"node_type", "LoopNode"},
             {"collection_key", "xs"},
             {"max_iterations", 5},
             {"node", {{"type", "rule"}}}}}}}});
    CHECK(has(problems, "g.json: nodes['bare']: field 'target_node_id'",
              "missing: the node it runs (moved inside it), or 'node' (inline)"));
    CHECK(has(problems, "g.json: nodes['bare']: field 'max_retries'",
              "missing (RetryNode's retries after the first attempt)"));
    CHECK(has(problems, "g.json: nodes['self']: field 'target_node_id'", "names this node itself"));
    CHECK(has(problems, "g.json: nodes['ghost']: field 'target_node_id'",
              "no node 'x' in the graph"));
    CHECK(has(problems, "g.json: nodes['b']: field 'target_node_id'",
              "node 't' is inside 'a' already"));
    CHECK(has(problems, "g.json: nodes['ring2']: field 'target_node_id'",
              "node 'ring1' holds this node: neither can be inside the other"));
    CHECK(has(problems, "g.json: nodes['many']: field 'max_retries'",
              "must be an integer from 0 to 999, found -1"));
    CHECK(has(problems, "g.json: nodes['cond']: field 'condition'",
              "missing (ConditionalNode's condition)"));
    CHECK(has(problems, "g.json: nodes['sub']: field 'graph_def'",
              "missing (SubgraphNode's graph; or 'subgraph_file')"));
    CHECK(has(problems, "g.json: nodes['lp']: field 'max_iterations'",
              "no equivalent for a loop over collection_key: every item runs"));
  }
}
