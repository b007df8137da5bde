// Runs the example graphs of graphs/ through lgraph, as a user would, and checks their results.

#include "lgraph_process.hpp"
#include "support/http_test_server.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <string>

namespace {

using Json = nlohmann::json;

// The final context of `lgraph run graphs/<graph_file> --input <input>` (exit code 0 and
// nothing on stderr required).
Json run_with(const std::string& graph_file, const std::string& input) {
  const lg::test::Outcome run =
      lg::test::lgraph({"run", lg::test::graph(graph_file), "--input", input});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());
  return Json::parse(run.out);
}

// The same with its sample input, graphs/inputs/<input_file>.
Json run_example(const std::string& graph_file, const std::string& input_file) {
  const std::string input = (lg::test::graphs_dir() / "inputs" / input_file).string();
  return run_with(graph_file, fmt::format("@{}", input));
}

// `lgraph validate graphs/<graph_file>` says it is fine.
void check_valid(const std::string& graph_file) {
  const lg::test::Outcome check = lg::test::lgraph({"validate", lg::test::graph(graph_file)});
  INFO(check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out == fmt::format("{}: ok\n", lg::test::graph(graph_file)));
}

}  // namespace

TEST_SUITE("graph examples") {
  TEST_CASE("resilient_quote: retry, timeout and circuit breaker get the price, try falls back") {
    check_valid("resilient_quote.json");
    // The pricing service fails, then hangs past the 50 ms limit, then answers on the third
    // attempt; the stock service fails both attempts and the try's fallback says why.
    const Json expected = Json::parse(R"json({
      "customer": {"id": "c-42", "tier": "gold"},
      "order": {"id": "o-1001", "total": 250},
      "quote": 225.0,
      "stock": "unknown: gave up after 2 attempts: scripted failure on run 2 (letter 1 of 'f')",
      "price": 225.0,
      "ships": "when stock is confirmed",
      "offer": {"price": 225.0, "ships": "when stock is confirmed"}
    })json");
    CHECK(run_example("resilient_quote.json", "resilient_quote.json") == expected);
  }

  TEST_CASE("loan_decision: decision tables price the risk and list the checks, a switch decides") {
    check_valid("loan_decision.json");
    SUBCASE("a good score, no checks: approved, with an offer") {
      const Json out = run_example("loan_decision.json", "loan_decision.json");
      CHECK(out["risk"] == Json{{"band", "A"}, {"rate", 0.049}});
      CHECK(out["checks"] == Json::array());
      CHECK(out["decision"] == "approve");
      CHECK(out["offer"] == Json{{"rate", 0.049}, {"interest", 4704}, {"repay", 28704}});
      CHECK_FALSE(out.contains("referral"));
      CHECK_FALSE(out.contains("decline"));
    }
    SUBCASE("band B with three checks: referred, the checks in the tables' order") {
      const Json out = run_with("loan_decision.json", R"({
        "applicant": {"credit_score": 705, "debt_ratio": 0.38, "employment": "contractor",
                      "years_at_address": 0},
        "loan": {"amount": 60000, "years": 5}})");
      CHECK(out["risk"] == Json{{"band", "B"}, {"rate", 0.064}});
      CHECK(out["decision"] == "refer");
      const Json checks = Json::parse(R"([
        {"check": "income", "reason": "two years of tax returns"},
        {"check": "senior_underwriter", "reason": "amount over 50,000"},
        {"check": "address", "reason": "less than a year at the address"}])");
      CHECK(out["checks"] == checks);
      CHECK(out["to_check"] == checks);
      CHECK_FALSE(out.contains("offer"));
    }
    SUBCASE("a score below every band: declined, saying why") {
      const Json out = run_with("loan_decision.json", R"({
        "applicant": {"credit_score": 610, "debt_ratio": 0.5, "employment": "salaried",
                      "years_at_address": 3},
        "loan": {"amount": 9000, "years": 2}})");
      CHECK(out["risk"] == Json{{"band", "D"}, {"rate", nullptr}});
      CHECK(out["decision"] == "decline");
      CHECK(out["reason"] == "credit score 610 with a debt ratio of 0.5 is outside our bands");
      CHECK_FALSE(out.contains("offer"));
      CHECK_FALSE(out.contains("referral"));
    }
  }

  TEST_CASE("order_pipeline: a foreach prices each line through a subgraph file") {
    check_valid("order_pipeline.json");
    SUBCASE("three lines: a quantity break, and the gold tier's discount on the others") {
      const Json out = run_example("order_pipeline.json", "order_pipeline.json");
      // 12 x 1.5 less 15%; 3 x 4 less 5%; 1 x 39 less 5%.
      CHECK(out["lines"] == Json::array({15.3, 11.4, 37.05}));
      CHECK(out["invoice"] == Json{{"subtotal", 63.75}, {"shipping", 7.5}, {"total", 71.25}});
    }
    SUBCASE("over 100: shipping is free, a line's failure names the item and the child node") {
      const Json out = run_with("order_pipeline.json", R"({"customer": {"tier": "silver"},
        "order": {"lines": [{"sku": "desk", "quantity": 1, "unit_price": 120}]}})");
      CHECK(out["invoice"] == Json{{"subtotal", 120}, {"shipping", 0}, {"total", 120}});
      const lg::test::Outcome bad =
          lg::test::lgraph({"run", lg::test::graph("order_pipeline.json"), "--input",
                            R"({"customer": {"tier": "gold"}, "order": {"lines": [
                                {"quantity": 1, "unit_price": 2}, {"quantity": 2}]}})"});
      CHECK(bad.exit_code != 0);
      CHECK(bad.err.find("lines[1]/base") != std::string::npos);
    }
  }

  TEST_CASE("savings_plan: a loop runs until the balance reaches the goal") {
    check_valid("savings_plan.json");
    SUBCASE("1,000 with 250 a month at 3% a year: 35 months to 10,000") {
      const Json out = run_example("savings_plan.json", "savings_plan.json");
      CHECK(out["months"] == 35);
      CHECK(out["years"] == 2);
      CHECK(out["final_balance"] == 10223.61);
      CHECK(out["deposited"] == 9750);
    }
    SUBCASE("a goal out of reach in 600 months is an error, not a hang") {
      const lg::test::Outcome run = lg::test::lgraph(
          {"run", lg::test::graph("savings_plan.json"), "--input",
           R"({"savings": {"start": 0, "monthly_deposit": 0, "yearly_rate": 0.03, "goal": 1}})"});
      CHECK(run.exit_code != 0);
      CHECK(run.err.find("max_iterations (600)") != std::string::npos);
    }
  }

  TEST_CASE("sqlite_report: queries on an embedded database, run in parallel, summed up") {
    check_valid("sqlite_report.json");
    const Json out = run_example("sqlite_report.json", "sqlite_report.json");
    CHECK(out["by_region"] == Json::parse(R"([
      {"region": "south", "orders": 3, "revenue": 61.9},
      {"region": "west", "orders": 1, "revenue": 60.0},
      {"region": "north", "orders": 3, "revenue": 48.8}])"));
    CHECK(out["best_sellers"] ==
          Json::parse(R"([{"name": "pen", "units": 50}, {"name": "notebook", "units": 7}])"));
    CHECK(out["last_order"] ==
          Json::parse(R"({"id": 7, "name": "stapler", "qty": 2, "day": "2026-11-28"})"));
    CHECK(out["revenue"] == 170.7);
    CHECK(out["summary"] ==
          Json::parse(R"({"best_region": "south", "share": 36.3, "best_seller": "pen"})"));
    SUBCASE("another period and customer, a customer without orders gets null") {
      const Json october = run_with(
          "sqlite_report.json",
          R"({"period": {"from": "2026-10-01", "to": "2026-10-31"}, "top": 5, "customer": "zed"})");
      CHECK(october["by_region"] ==
            Json::parse(R"([{"region": "west", "orders": 1, "revenue": 7.25}])"));
      CHECK(october["last_order"] == nullptr);
    }
  }

  TEST_CASE("services/http_enrichment: two services in parallel, a failure retried") {
    check_valid("services/http_enrichment.json");
    std::atomic<int> customer_calls{0};
    std::atomic<bool> customers_down{false};
    std::mutex mutex;  // the server's thread writes it
    lg::test::TestRequest customer_request;
    const lg::test::TestHttpServer server([&](const lg::test::TestRequest& request) {
      if (request.path == "/customers/c-42") {
        lg::test::TestResponse answer = lg::test::reply(R"({"name": "Ada", "tier": "gold"})");
        if (customers_down || ++customer_calls == 1) {
          answer.status = 503;  // down, or a passing failure that the retry gets past
        } else {
          const std::scoped_lock lock(mutex);
          customer_request = request;
        }
        return answer;
      }
      if (request.path == "/rates" && request.query.at("from") == "USD") {
        return lg::test::reply(R"({"rate": 0.9})");
      }
      lg::test::TestResponse missing = lg::test::reply("{}");
      missing.status = 404;
      return missing;
    });
    const std::string input =
        Json{{"service", server.url()},
             {"order",
              {{"id", "o-1001"}, {"customer_id", "c-42"}, {"currency", "USD"}, {"total", 120.5}}}}
            .dump();
    const Json out = run_with("services/http_enrichment.json", input);
    CHECK(out["enriched"] ==
          Json{{"customer_name", "Ada"}, {"tier", "gold"}, {"total_eur", 108.45}});
    CHECK(out["customer"]["status"] == 200);
    CHECK(customer_calls == 2);
    {
      const std::scoped_lock lock(mutex);
      CHECK(customer_request.headers.at("x-request-id") == "o-1001");
    }
    SUBCASE("the customer service stays down: the node fails after its attempts") {
      customers_down = true;
      const lg::test::Outcome run = lg::test::lgraph(
          {"run", lg::test::graph("services/http_enrichment.json"), "--input", input});
      CHECK(run.exit_code != 0);
      CHECK(run.err.find("node 'customer' failed: gave up after 3 attempts") != std::string::npos);
      CHECK(run.err.find("status 503") != std::string::npos);
    }
  }

  TEST_CASE("services/llm_classification: a model's JSON answer routes the ticket") {
    check_valid("services/llm_classification.json");
    // A small server of the chat-completions protocol that sorts by keyword.
    const lg::test::TestHttpServer server([](const lg::test::TestRequest& request) {
      const Json body = Json::parse(request.body);
      const std::string prompt = body["messages"].back()["content"].get<std::string>();
      const Json verdict = prompt.find("charged") != std::string::npos
                               ? Json{{"category", "billing"}, {"urgent", false}}
                               : Json{{"category", "outage"}, {"urgent", true}};
      return lg::test::reply(Json{
          {"model", body["model"]},
          {"choices",
           {{{"message", {{"role", "assistant"}, {"content", verdict.dump()}}},
             {"finish_reason",
              "stop"}}}}}.dump());
    });
    const auto run = [&](const std::string& subject, const std::string& text) {
      return run_with("services/llm_classification.json",
                      Json{{"llm_endpoint", server.url("/v1")},
                           {"ticket", {{"subject", subject}, {"body", text}}}}
                          .dump());
    };
    const Json billing = run("Charged twice", "My card was charged twice.");
    CHECK(billing["classify"]["content"] == Json{{"category", "billing"}, {"urgent", false}});
    CHECK(billing["classify"]["model"] == "llama3.2");
    CHECK(billing["queue"] == "finance");
    CHECK(billing["needs_person"] == false);
    const Json outage = run("Site down", "Nothing loads since 9:00.");
    CHECK(outage["queue"] == "on-call");
    CHECK(outage["needs_person"] == true);
  }

  TEST_CASE("rust_yaml_flow: rust-logic-graph's YAML, its DBNodes on an embedded database") {
    check_valid("rust_yaml_flow.yaml");
    const Json out = run_example("rust_yaml_flow.yaml", "rust_yaml_flow.json");
    CHECK(out["demand"] == Json{{"avg_daily_demand", 12.5}});
    CHECK(out["inventory"] == Json{{"available_qty", 40}, {"reserved_qty", 10}});
    CHECK(out["supplier"] == Json::parse(R"({"supplier_name": "Bolt", "lead_time": 3, "moq": 50,
                                            "unit_price": 2.1})"));
    CHECK(out["supplier_name"] == "Bolt");  // gathered by the RuleNode's field_mappings
    CHECK(out["decide"] == true);
    CHECK(out["purchase_order"] == Json{{"order_qty", 50}, {"order_total", 105.0}});
    CHECK_FALSE(out.contains("hold"));
    SUBCASE("enough stock: it holds") {
      const Json held = run_with("rust_yaml_flow.yaml", R"({"product_id": "P-200",
                                                          "warehouse": "W1"})");
      CHECK(held["decide"] == false);
      CHECK(held["hold"] == true);
      CHECK_FALSE(held.contains("purchase_order"));
    }
    SUBCASE("dot draws it") {
      const lg::test::Outcome dot =
          lg::test::lgraph({"dot", lg::test::graph("rust_yaml_flow.yaml")});
      CHECK(dot.exit_code == 0);
      CHECK(dot.out.find("purchase_order") != std::string::npos);
    }
  }
}
