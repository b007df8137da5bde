// ZEN's expression language: ns per evaluation of the cases in bench/zen/expressions.json,
// parsed once (Eval, how JDM nodes use it) and parsed every time (ParseEval, what ZEN's
// evaluateExpressionSync does per call). bench/run_zen_expressions.sh runs ZEN's Node binding
// on the same file beside it.

#include <logic_graph/engine/expr/zen_expression.hpp>

#include <benchmark/benchmark.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace {

using Json = nlohmann::json;

Json cases() {
  std::ifstream in(LG_SOURCE_DIR "/bench/zen/expressions.json");
  if (!in) {
    throw std::runtime_error("cannot open bench/zen/expressions.json");
  }
  return Json::parse(in);
}

lg::zen::Mode mode_of(const Json& c) {
  return c.value("unary", false) ? lg::zen::Mode::unary : lg::zen::Mode::standard;
}

void eval(benchmark::State& state, const Json& c) {
  const auto expression =
      lg::zen::Expression::parse(c["expression"].get<std::string>(), mode_of(c));
  const Json& input = c["input"];
  for (auto _ : state) {
    benchmark::DoNotOptimize(expression.evaluate(input));
  }
  state.SetItemsProcessed(state.iterations());
}

void parse_eval(benchmark::State& state, const Json& c) {
  const std::string text = c["expression"].get<std::string>();
  const auto mode = mode_of(c);
  const Json& input = c["input"];
  for (auto _ : state) {
    benchmark::DoNotOptimize(lg::zen::Expression::parse(text, mode).evaluate(input));
  }
  state.SetItemsProcessed(state.iterations());
}

const bool registered = [] {
  lg::zen::set_default_time_zone("UTC");
  static const Json all = cases();
  for (const Json& c : all) {
    const std::string name = c["name"].get<std::string>();
    benchmark::RegisterBenchmark(("BM_Eval/" + name).c_str(), eval, c)->UseRealTime();
    benchmark::RegisterBenchmark(("BM_ParseEval/" + name).c_str(), parse_eval, c)->UseRealTime();
  }
  return true;
}();

}  // namespace
