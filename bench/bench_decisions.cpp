// What a decision_table costs per evaluation: a chain of 10 table nodes, one execution at a
// time on 2 threads, beside a chain of 10 `rule` nodes that read one key (the executor's own
// cost per node). Each table has an equality column (`'c7'`, 50 codes) and an interval column
// (`[70..80)`), rule r matching code c(r % 50) and amounts from 10r to 10r + 10; the input picks
// the first, the middle or the last rule, or none:
//   Rule                 the rule alone (baseline)
//   Table/ROWS/WHICH     ROWS rules, WHICH = 0 first, 1 middle, 2 last, 3 none
// items_per_second counts nodes: 1e9 / it is ns per node, and the difference from Rule is the
// table's evaluation.

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <string>

namespace {

constexpr int threads = 2;
constexpr int chain_length = 10;

nlohmann::json table(int rows) {
  nlohmann::json rules = nlohmann::json::array();
  for (int r = 0; r < rows; ++r) {
    rules.push_back(
        {{"when", {fmt::format("'c{}'", r % 50), fmt::format("[{}..{})", r * 10, r * 10 + 10)}},
         {"then", {std::to_string(r), "'tier'"}}});
  }
  return {{"inputs", {"code", "amount"}}, {"outputs", {"row", "result.tier"}}, {"rules", rules}};
}

void run_chain_of(benchmark::State& state, const char* type, const nlohmann::json& config,
                  const nlohmann::json& input) {
  lg::GraphDef graph;
  for (int i = 0; i < chain_length; ++i) {
    graph.node(fmt::format("n{}", i), type, config);
    if (i > 0) {
      graph.edge(fmt::format("n{}", i - 1), fmt::format("n{}", i));
    }
  }
  lg::Executor executor{graph, lg::builtin_nodes(), {.threads = threads}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(executor.run(input));
  }
  state.SetItemsProcessed(state.iterations() * chain_length);
}

void BM_Rule(benchmark::State& state) {
  run_chain_of(state, "rule", {{"condition", "code"}}, {{"code", "c1"}, {"amount", 5}});
}

void BM_Table(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const int row = state.range(1) == 0 ? 0 : state.range(1) == 1 ? rows / 2 : rows - 1;
  const bool none = state.range(1) == 3;
  const nlohmann::json input = {{"code", fmt::format("c{}", row % 50)},
                                {"amount", none ? -5 : row * 10 + 5}};
  run_chain_of(state, "decision_table", table(rows), input);
}

BENCHMARK(BM_Rule)->UseRealTime();
BENCHMARK(BM_Table)->ArgsProduct({{20, 5000}, {0, 1, 2, 3}})->UseRealTime();

}  // namespace
