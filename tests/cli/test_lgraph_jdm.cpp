// lgraph on GoRules JDM files: run prints ZEN's result, --now pins the clock, validate, dot
// and profile read them like any graph (graphs/jdm/ holds a model with a sub-decision).

#include "lgraph_process.hpp"

#include <doctest/doctest.h>

namespace {

using lg::test::contains;
using lg::test::lgraph;
using lg::test::Outcome;
using lg::test::TempDir;

const std::string loan = std::string(LG_SOURCE_DIR) + "/graphs/jdm/loan_decision.json";

}  // namespace

TEST_SUITE("lgraph jdm") {
  TEST_CASE("run prints the decision's result as one JSON object") {
    const auto decide = [](const std::string& input) {
      return lgraph({"run", loan, "--now", "2026-06-01T00:00:00Z", "--input", input});
    };
    const Outcome approved = decide(
        R"({"amount": 20000, "monthlyIncome": 5000, "monthlyDebt": 1000, "score": 780,
            "birthYear": 1990, "termMonths": 48})");
    CHECK(approved.exit_code == 0);
    CHECK(approved.err.empty());
    CHECK(approved.out ==
          R"({"age":36,"band":"A","decision":"approved","monthlyPayment":435.42,"reasons":[]})"
          "\n");
    const Outcome referred = decide(
        R"({"amount": 20000, "monthlyIncome": 5000, "monthlyDebt": 2200, "score": 700,
            "birthYear": 1990, "termMonths": 48})");
    CHECK(referred.out == R"({"age":36,"band":"C","decision":"refer","reasons":["band C"]})"
                          "\n");
    const Outcome rejected = decide(
        R"({"amount": 900000, "monthlyIncome": 5000, "monthlyDebt": 3000, "score": 600,
            "birthYear": 1990, "termMonths": 48})");
    CHECK(rejected.out == R"({"decision":"rejected","reasons":["amount","risk"]})"
                          "\n");
    // Another now: another age.
    const Outcome later = lgraph({"run", loan, "--now", "2031-06-01T00:00:00Z", "--input",
                                  R"({"amount": 20000, "monthlyIncome": 5000, "monthlyDebt": 1000,
                                      "score": 780, "birthYear": 1990, "termMonths": 48})"});
    CHECK(contains(later.out, R"("age":41)"));
  }

  TEST_CASE("a failing node: exit 1, naming the node") {
    const TempDir dir;
    const std::string file = dir.write("bad.json", R"({
      "nodes": [
        {"id": "in", "name": "request", "type": "inputNode"},
        {"id": "calc", "name": "calculate", "type": "expressionNode",
         "content": {"expressions": [{"id": "1", "key": "x", "value": "'a' * 2"}]}}],
      "edges": [{"id": "e", "sourceId": "in", "targetId": "calc"}]})");
    const Outcome o = lgraph({"run", file});
    CHECK(o.exit_code == 1);
    CHECK(o.out.empty());
    CHECK(contains(o.err, "node 'calc' failed: expression node 'calculate', key 'x'"));
  }

  TEST_CASE("validate, dot and profile read JDM files") {
    const Outcome valid = lgraph({"validate", loan});
    CHECK(valid.exit_code == 0);
    CHECK(valid.out == loan + ": ok\n");
    const Outcome dot = lgraph({"dot", loan});
    CHECK(dot.exit_code == 0);
    CHECK(contains(dot.out, "\"route\" -> \"approved\""));
    const Outcome profile =
        lgraph({"profile", loan, "-n", "50", "-c", "4", "--input",
                R"({"amount": 1, "monthlyIncome": 5000, "monthlyDebt": 1000, "score": 780,
                    "birthYear": 1990, "termMonths": 48})"});
    CHECK(profile.exit_code == 0);
    CHECK(contains(profile.out, "50 executions"));
    CHECK(contains(profile.out, "decisionNode"));
    const TempDir dir;
    const std::string broken =
        dir.write("broken.json", R"({"nodes": [{"id": "in", "name": "request", "type": "inputNode"},
          {"id": "t", "name": "table", "type": "tableNode", "content": {}}],
          "edges": [{"id": "e", "sourceId": "in", "targetId": "t"}]})");
    const Outcome invalid = lgraph({"validate", broken});
    CHECK(invalid.exit_code == 2);
    CHECK(contains(invalid.err,
                   "nodes[1] (id 't', name 'table'): field 'type': unknown JDM node type"));
  }
}
