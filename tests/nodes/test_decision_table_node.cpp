#include "decisions/decision_table.hpp"
#include "nodes/json_lookup.hpp"
#include "nodes/node_run.hpp"
#include "support/execution_failure.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <random>
#include <string>

using lg::test::build_error;
using lg::test::one_node_graph;
using lg::test::run_graph;
using Json = nlohmann::json;

namespace {

// Shipping rates: by country list, weight interval and a member flag.
Json rates_table(const std::string& hit = "first") {
  return {{"type", "decision_table"},
          {"hit", hit},
          {"inputs", {"country", "weight", "member"}},
          {"outputs", {"rate.base", "rate.per_kg", "carrier"}},
          {"rules",
           {{{"when", {"'GB', 'IE'", "[0..5)", ""}}, {"then", {"3", "0", "'royal'"}}},
            {{"when", {"'GB', 'IE'", ">= 5", "true"}}, {"then", {"2", "0.5", "'royal'"}}},
            {{"when", {"'GB', 'IE'", ">= 5", ""}}, {"then", {"5", "0.5", "'royal'"}}},
            {{"when", {"'US'", "", ""}}, {"then", {"10", "weight * 0.1", "'ups'"}}},
            {{"when", {"", "> 100", ""}}, {"then", {"50", "1", "'freight'"}}}}}};
}

Json rate(double base, double per_kg, const std::string& carrier) {
  return {{"rate", {{"base", base}, {"per_kg", per_kg}}}, {"carrier", carrier}};
}

}  // namespace

TEST_SUITE("decision_table node") {
  TEST_CASE("first: the outputs of the first rule that matches, dotted keys nested") {
    const lg::GraphDef graph = one_node_graph(rates_table());
    const auto run = [&](Json input) { return run_graph(graph, std::move(input)).at("n"); };
    CHECK(run({{"country", "GB"}, {"weight", 1}, {"member", false}}) == rate(3, 0, "royal"));
    CHECK(run({{"country", "IE"}, {"weight", 5}, {"member", true}}) == rate(2, 0.5, "royal"));
    CHECK(run({{"country", "IE"}, {"weight", 5}, {"member", false}}) == rate(5, 0.5, "royal"));
    CHECK(run({{"country", "US"}, {"weight", 20}, {"member", false}}) == rate(10, 2.0, "ups"));
    CHECK(run({{"country", "FR"}, {"weight", 200}, {"member", false}}) == rate(50, 1, "freight"));
    CHECK(run({{"country", "FR"}, {"weight", 2}, {"member", false}}).is_null());
    CHECK(run(Json::object()).is_null());  // missing inputs are null: only empty cells match
  }

  TEST_CASE("collect: every rule that matches, in order, none is an empty array") {
    const lg::GraphDef graph = one_node_graph(rates_table("collect"));
    const Json both = run_graph(graph, {{"country", "GB"}, {"weight", 150}, {"member", true}});
    CHECK(both.at("n") ==
          Json::array({rate(2, 0.5, "royal"), rate(5, 0.5, "royal"), rate(50, 1, "freight")}));
    CHECK(run_graph(graph, {{"country", "FR"}, {"weight", 1}}).at("n") == Json::array());
  }

  TEST_CASE("a column without an input takes conditions, $ and other keys read in cells") {
    const lg::GraphDef graph =
        one_node_graph({{"type", "decision_table"},
                        {"inputs", {"age", nullptr}},
                        {"outputs", {"band"}},
                        {"rules",
                         {{{"when", {"$ >= 18 and $ < limit", "vip"}}, {"then", {"'adult vip'"}}},
                          {{"when", {"[18..limit)", ""}}, {"then", {"'adult'"}}},
                          {{"when", {"", ""}}, {"then", {""}}}}}});
    const auto band = [&](Json input) { return run_graph(graph, std::move(input)).at("n"); };
    CHECK(band({{"age", 30}, {"limit", 65}, {"vip", true}}) == Json{{"band", "adult vip"}});
    CHECK(band({{"age", 30}, {"limit", 65}, {"vip", false}}) == Json{{"band", "adult"}});
    CHECK(band({{"age", 70}, {"limit", 65}}) == Json{{"band", nullptr}});  // "" is null
  }

  TEST_CASE("cells may be JSON values: a number or a boolean is an equality, null any") {
    const lg::GraphDef graph = one_node_graph(
        {{"type", "decision_table"},
         {"inputs", {"code", "flag"}},
         {"outputs", {"hit"}},
         {"rules",
          {{{"when", {7, true}}, {"then", {1}}}, {{"when", {nullptr, false}}, {"then", {2}}}}}});
    CHECK(run_graph(graph, {{"code", 7}, {"flag", true}}).at("n") == Json{{"hit", 1}});
    CHECK(run_graph(graph, {{"code", 8}, {"flag", false}}).at("n") == Json{{"hit", 2}});
    CHECK(run_graph(graph, {{"code", 8}, {"flag", true}}).at("n").is_null());
  }

  TEST_CASE("config errors name the field and the place") {
    const auto error = [](Json patch) {
      Json node = rates_table();
      node.merge_patch(patch);
      return build_error(node);
    };
    CHECK(build_error(
              {{"type", "decision_table"}, {"outputs", Json::array()}, {"rules", Json::array()}})
              .find("field 'inputs': missing") != std::string::npos);
    CHECK(error({{"inputs", "country"}}).find("field 'inputs': must be an array, found string") !=
          std::string::npos);
    CHECK(error({{"hit", "all"}}).find("field 'hit': must be \"first\" or \"collect\"") !=
          std::string::npos);
    CHECK(error({{"outputs", {"a", "a.b", "c"}}})
              .find("field 'outputs[1]': 'a.b' clashes with 'a' (outputs[0])") !=
          std::string::npos);
    CHECK(
        error({{"outputs", {"a..b", "x", "y"}}}).find("field 'outputs[0]': 'a..b' has an empty") !=
        std::string::npos);
    CHECK(error({{"outputs", {"a", 2, "c"}}}).find("field 'outputs[1]': must be a key") !=
          std::string::npos);
    CHECK(error({{"inputs", {"country", "weight +", "member"}}}).find("field 'inputs[1]'") !=
          std::string::npos);

    Json bad_cell = rates_table();
    bad_cell["rules"][1]["when"][1] = ">= 5 and < ";
    CHECK(build_error(bad_cell).find("field 'rules[1].when[1]': at 10 in '>= 5 and < '") !=
          std::string::npos);
    Json short_rule = rates_table();
    short_rule["rules"][2]["when"] = {"'GB'"};
    CHECK(build_error(short_rule).find("field 'rules[2].when': has 1 cells for 3 inputs") !=
          std::string::npos);
    Json short_then = rates_table();
    short_then["rules"][0]["then"] = {"1"};
    CHECK(build_error(short_then).find("field 'rules[0].then': has 1 values for 3 outputs") !=
          std::string::npos);
    Json bad_then = rates_table();
    bad_then["rules"][3]["then"][1] = "weight *";
    CHECK(build_error(bad_then).find("field 'rules[3].then[1]'") != std::string::npos);
    Json odd_key = rates_table();
    odd_key["rules"][0]["if"] = Json::array();
    CHECK(build_error(odd_key).find("field 'rules[0].if': not a field of a rule") !=
          std::string::npos);
    Json list_cell = rates_table();
    list_cell["rules"][0]["when"][0] = {"GB"};
    CHECK(build_error(list_cell).find("field 'rules[0].when[0]': must be a test") !=
          std::string::npos);
    Json not_object = rates_table();
    not_object["rules"][4] = "always";
    CHECK(build_error(not_object).find("field 'rules[4]': must be an object") != std::string::npos);
    CHECK(error({{"extra", 1}}).find("field 'extra'") != std::string::npos);
  }

  TEST_CASE("an input or output that fails to evaluate fails the node, naming it") {
    lg::Executor inputs{one_node_graph({{"type", "decision_table"},
                                        {"inputs", {"x / 0"}},
                                        {"outputs", {"y"}},
                                        {"rules", {{{"when", {""}}, {"then", {"1"}}}}}}),
                        lg::builtin_nodes(),
                        {.threads = 1}};
    const std::string why = lg::test::failure(inputs, {{"x", 1}}).what();
    CHECK(why.find("node 'n'") != std::string::npos);
    CHECK(why.find("inputs[0] 'x / 0'") != std::string::npos);
    CHECK(why.find("division by zero") != std::string::npos);

    lg::Executor outputs{
        one_node_graph({{"type", "decision_table"},
                        {"inputs", {"x"}},
                        {"outputs", {"y"}},
                        {"rules", {{{"when", {"> 0"}}, {"then", {"10 / (x - 2)"}}}}}}),
        lg::builtin_nodes(),
        {.threads = 1}};
    CHECK(outputs.run({{"x", 4}}).to_json().at("n") == Json{{"y", 5.0}});
    CHECK(outputs.run({{"x", -1}}).to_json().at("n").is_null());  // no match: nothing evaluated
    const std::string output_why = lg::test::failure(outputs, {{"x", 2}}).what();
    CHECK(output_why.find("rules[0].then[0]: ") != std::string::npos);
    CHECK(output_why.find("division by zero") != std::string::npos);
  }

  TEST_CASE("the index finds what testing every cell finds") {
    // A table of random equality, interval, comparison and expression cells, evaluated with
    // and without its index on random inputs: the same rules match.
    std::mt19937 random(20261202);
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    const auto number_cell = [&]() -> std::string {
      const int a = pick(40) - 20;
      const int b = a + pick(15);
      switch (pick(9)) {
        case 0:
          return "";
        case 1:
          return std::to_string(a);
        case 2:
          return fmt::format("[{}..{})", a, b);
        case 3:
          return fmt::format("({}..{}]", a, b);
        case 4:
          return fmt::format("> {}, {}", a, b);
        case 5:
          return fmt::format("<= {}.5", a);
        case 6:
          return fmt::format("$ >= {} and $ != {}", a, b);
        case 7:
          return fmt::format("in [{}, {}], 'a'", a, b);
        default:
          return fmt::format("> {} and < {}", a, b);
      }
    };
    const auto text_cell = [&]() -> std::string {
      static const char* const names[] = {"'a'", "'b'", "'c'", "'d'"};
      switch (pick(5)) {
        case 0:
          return "";
        case 1:
          return names[pick(4)];
        case 2:
          return fmt::format("{}, {}", names[pick(4)], names[pick(4)]);
        case 3:
          return std::string("!= ") + names[pick(4)];
        default:
          return "in ['a', 'b'], null";
      }
    };
    const auto table = [&](bool indexed, unsigned seed) {
      random.seed(seed);
      std::vector<lg::detail::TableRule> rules;
      for (int r = 0; r < 400; ++r) {
        lg::detail::TableRule rule;
        rule.when.push_back(lg::detail::compile_unary_test(number_cell()));
        rule.when.push_back(lg::detail::compile_unary_test(text_cell()));
        rule.when.push_back(lg::detail::compile_unary_test(number_cell()));
        rule.then.emplace_back(lg::Expression::parse(std::to_string(r)));
        rules.push_back(std::move(rule));
      }
      std::vector<lg::detail::TableInput> inputs;
      for (const char* key : {"x", "s", "y"}) {
        inputs.push_back({lg::Expression::parse(key), key});
      }
      return lg::detail::DecisionTable(lg::detail::DecisionTable::Hit::collect, std::move(inputs),
                                       {"rule"}, std::move(rules), indexed);
    };
    const lg::detail::DecisionTable with_index = table(true, 7);
    const lg::detail::DecisionTable without = table(false, 7);
    const Json values[] = {-21, -20, -3, -2.5, 0, 0.5, 3, 7, 7.25, 19, 34, 40, "a", nullptr, true};
    const Json texts[] = {"a", "b", "c", "d", "e", nullptr, 3};
    std::size_t matched = 0;
    for (const Json& x : values) {
      for (const Json& s : texts) {
        for (const Json& y : values) {
          const lg::test::JsonLookup input({{"x", x}, {"s", s}, {"y", y}});
          const Json expected = without.evaluate(input);
          CHECK(with_index.evaluate(input) == expected);
          matched += expected.size();
        }
      }
    }
    CHECK(matched > 1000);  // the inputs do hit rules
  }

  TEST_CASE("a table of 5,000 rows finds its first and last rule") {
    Json rules = Json::array();
    for (int r = 0; r < 5000; ++r) {
      rules.push_back(
          {{"when", {fmt::format("'c{}'", r % 50), fmt::format("[{}..{})", r * 10, r * 10 + 10)}},
           {"then", {std::to_string(r)}}});
    }
    const lg::GraphDef graph = one_node_graph({{"type", "decision_table"},
                                               {"inputs", {"code", "amount"}},
                                               {"outputs", {"row"}},
                                               {"rules", rules}});
    lg::Executor executor{graph, lg::builtin_nodes(), {.threads = 1}};
    const auto row = [&](int code, double amount) {
      return executor.run({{"code", fmt::format("c{}", code)}, {"amount", amount}})
          .to_json()
          .at("n");
    };
    CHECK(row(0, 5) == Json{{"row", 0}});
    CHECK(row(49, 49995) == Json{{"row", 4999}});
    CHECK(row(17, 21175) == Json{{"row", 2117}});
    CHECK(row(18, 21175).is_null());
    CHECK(row(0, 50000).is_null());
  }
}
