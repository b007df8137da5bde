// The endpoints and their errors, over HTTP against the real server in-process.
#include <logic_graph/service/router.hpp>

#include "service/hold_node.hpp"
#include "support/http_client.hpp"
#include "support/service_fixture.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

namespace {

using lg::test::HttpClient;
using lg::test::ServiceFixture;
using Json = nlohmann::json;
namespace http = boost::beast::http;

const char* const order_flow = R"({
  "name": "order_flow",
  "nodes": [
    {"id": "validate", "type": "rule", "condition": "order.total > 0 && order.items > 0"},
    {"id": "price", "type": "compute", "set": {"discount": "order.total >= 100 ? 0.1 : 0.0"}},
    {"id": "vip", "type": "rule", "condition": "order.total >= 500"},
    {"id": "express", "type": "compute", "set": {"fast": "true"}}
  ],
  "edges": [
    {"from": "validate", "to": "price", "when": "validate"},
    {"from": "price", "to": "vip"},
    {"from": "vip", "to": "express", "when": "vip"}
  ]
})";

const char* const failing = R"({"nodes": [
  {"id": "first", "type": "rule", "condition": "true"},
  {"id": "boom", "type": "throw", "message": "the payment service said no"}],
  "edges": [{"from": "first", "to": "boom"}]})";

lg::service::ServerOptions with_registry(std::shared_ptr<lg::test::Holds> holds) {
  lg::service::ServerOptions options;
  options.registry = lg::test::hold_registry(std::move(holds));
  options.watch = false;
  return options;
}

}  // namespace

TEST_CASE("serve: execute answers the final context, the executed and skipped nodes" *
          doctest::timeout(60)) {
  ServiceFixture service;
  service.graph("order_flow.json", order_flow);
  service.graph("constant.json",
                R"({"nodes": [{"id": "one", "type": "compute", "set": {"x": "1"}}]})");
  service.start(with_registry(std::make_shared<lg::test::Holds>()));
  HttpClient client(service.port());

  const auto reply =
      client.post("/v1/graphs/order_flow/execute", R"({"order": {"total": 120, "items": 2}})");
  REQUIRE(reply.status == 200);
  CHECK(reply.header("Content-Type") == "application/json");
  const Json body = reply.json();
  CHECK(body["result"]["discount"] == 0.1);
  CHECK(body["result"]["order"]["total"] == 120);
  CHECK(body["executed"] == Json::array({"validate", "price", "vip"}));
  CHECK(body["skipped"] == Json::array({"express"}));
  CHECK(body["duration_us"].is_number_unsigned());
  CHECK_FALSE(body.contains("trace"));

  SUBCASE("?trace=1 adds each node's run") {
    const Json traced = client
                            .post("/v1/graphs/order_flow/execute?trace=1",
                                  R"({"order": {"total": 600, "items": 1}})")
                            .json();
    REQUIRE(traced["trace"].size() == 4);
    CHECK(traced["trace"][0]["node"] == "validate");
    CHECK(traced["trace"][0]["status"] == "executed");
    CHECK(traced["trace"][0]["keys_read"] == Json::array({"order"}));
    CHECK(traced["trace"][3]["result"]["fast"] == true);
  }
  SUBCASE("an empty body is no input") {
    const auto empty = client.post("/v1/graphs/constant/execute", "");
    CHECK(empty.status == 200);
    CHECK(empty.json()["result"] == Json{{"x", 1}, {"one", Json{{"x", 1}}}});
  }
}

TEST_CASE("serve: the graph list, a definition, health and readiness" * doctest::timeout(60)) {
  ServiceFixture service;
  service.graph("order_flow.json", order_flow);
  service.graph("failing.yaml", "nodes:\n  - {id: only, type: rule, condition: 'true'}\n");
  service.graph("notes.txt", "not a graph");
  service.start(with_registry(std::make_shared<lg::test::Holds>()));
  HttpClient client(service.port());

  const Json list = client.get("/v1/graphs").json();
  REQUIRE(list["graphs"].size() == 2);
  CHECK(list["graphs"][0]["name"] == "failing");
  CHECK(list["graphs"][0]["nodes"] == 1);
  CHECK(list["graphs"][1]["name"] == "order_flow");
  CHECK(list["graphs"][1]["nodes"] == 4);
  CHECK(list["graphs"][1]["loaded_at"].get<std::string>().ends_with("Z"));
  CHECK(list["generation"] == 1);

  const Json definition = client.get("/v1/graphs/order_flow").json();
  CHECK(definition["nodes"][1]["id"] == "price");
  CHECK(definition["edges"].size() == 3);

  CHECK(client.get("/healthz").status == 200);
  CHECK(client.get("/readyz").status == 200);
}

TEST_CASE("serve: each error has its status and names what is wrong" * doctest::timeout(60)) {
  auto holds = std::make_shared<lg::test::Holds>();
  ServiceFixture service;
  service.graph("order_flow.json", order_flow);
  service.graph("failing.json", failing);
  lg::service::ServerOptions options = with_registry(holds);
  options.max_body_bytes = 2048;
  service.start(options);
  HttpClient client(service.port());

  SUBCASE("malformed JSON: 400 with line and column") {
    const auto reply = client.post("/v1/graphs/order_flow/execute", "{\n  \"order\": [1, 2,]\n}");
    CHECK(reply.status == 400);
    CHECK(reply.json()["error"].get<std::string>().starts_with("invalid JSON: line 2, column 18"));
  }
  SUBCASE("an input that is not an object: 400") {
    const auto reply = client.post("/v1/graphs/order_flow/execute", "[1, 2]");
    CHECK(reply.status == 400);
    CHECK(reply.json()["error"] == "invalid input: a JSON object is expected, found array");
  }
  SUBCASE("an input nested too deep: 400 naming the place") {
    const auto reply =
        client.post("/v1/graphs/order_flow/execute", std::string(600, '[') + std::string(600, ']'));
    CHECK(reply.status == 400);
    CHECK(reply.json()["error"] ==
          "invalid input: line 1, column 513: nested deeper than 512 levels");
  }
  SUBCASE("unknown graph or endpoint: 404") {
    const auto reply = client.post("/v1/graphs/nothing/execute", "{}");
    CHECK(reply.status == 404);
    CHECK(reply.json()["error"] == "no graph named 'nothing'");
    CHECK(client.get("/v1/graphs/nothing").status == 404);
    CHECK(client.get("/v2/other").status == 404);
  }
  SUBCASE("a node fails: 422 naming the node") {
    const auto reply = client.post("/v1/graphs/failing/execute", "{}");
    CHECK(reply.status == 422);
    const Json body = reply.json();
    CHECK(body["node"] == "boom");
    CHECK(body["kind"] == "node_failed");
    CHECK(body["error"].get<std::string>().find("the payment service said no") !=
          std::string::npos);
  }
  SUBCASE("wrong method: 405 with Allow") {
    const auto get = client.get("/v1/graphs/order_flow/execute");
    CHECK(get.status == 405);
    CHECK(get.header("Allow") == "POST");
    const auto post = client.post("/healthz", "{}");
    CHECK(post.status == 405);
    CHECK(post.header("Allow") == "GET");
  }
  SUBCASE("a body over the limit: 413, and the connection closes") {
    const auto reply = client.post("/v1/graphs/order_flow/execute",
                                   R"({"pad": ")" + std::string(4000, 'x') + "\"}");
    CHECK(reply.status == 413);
    CHECK_FALSE(reply.keep_alive);
    CHECK(client.closed_by_server());
  }
  // Whatever came before, another client is served.
  CHECK(HttpClient(service.port()).get("/healthz").status == 200);
}

TEST_CASE("serve: past the deadline 504, over max-inflight or the memory budget 503" *
          doctest::timeout(60)) {
  auto holds = std::make_shared<lg::test::Holds>();
  ServiceFixture service;
  service.graph("held.json", lg::test::held_graph_json);
  service.graph("order_flow.json", order_flow);
  lg::service::ServerOptions options = with_registry(holds);

  SUBCASE("deadline") {
    options.timeout = std::chrono::milliseconds(20);
    service.start(options);
    const auto reply = HttpClient(service.port()).post("/v1/graphs/held/execute", "{}");
    CHECK(reply.status == 504);
    CHECK(reply.json()["kind"] == "deadline");
    CHECK(reply.json()["node"] == "wait");
  }
  SUBCASE("max-inflight") {
    service.start(options, 1);
    HttpClient held(service.port());
    held.send(http::verb::post, "/v1/graphs/held/execute", "{}");
    holds->arrived.acquire();  // the one execution allowed is in flight
    const auto refused = HttpClient(service.port()).post("/v1/graphs/order_flow/execute", "{}");
    CHECK(refused.status == 503);
    CHECK(refused.header("Retry-After") == "1");
    CHECK(refused.json()["kind"] == "max_inflight");
    holds->gate.open();
    CHECK(held.read().status == 200);
  }
  SUBCASE("memory budget") {
    options.memory_budget_bytes = 1;  // the counting target measures more than a byte in use
    service.start(options);
    const auto refused = HttpClient(service.port()).post("/v1/graphs/order_flow/execute", "{}");
    CHECK(refused.status == 503);
    CHECK(refused.header("Retry-After") == "1");
    CHECK(refused.json()["kind"] == "memory_budget");
  }
  holds->gate.open();
}

TEST_CASE("serve: concurrent clients each get their own answer" * doctest::timeout(120)) {
  ServiceFixture service;
  service.graph("order_flow.json", order_flow);
  service.start(with_registry(std::make_shared<lg::test::Holds>()));
  constexpr int clients = 8;
  constexpr int requests = 40;
  std::vector<int> correct(clients, 0);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      HttpClient client(service.port());
      for (int i = 0; i < requests; ++i) {
        const int total = c * 1000 + i + 1;  // > 0: the order is valid
        const auto reply = client.post("/v1/graphs/order_flow/execute",
                                       Json{{"order", {{"total", total}, {"items", 1}}}}.dump());
        const Json body = reply.json();
        correct[c] += reply.status == 200 && body["result"]["order"]["total"] == total &&
                      body["result"]["discount"] == (total >= 100 ? 0.1 : 0.0);
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int c = 0; c < clients; ++c) {
    CHECK(correct[c] == requests);
  }
  const std::string metrics = HttpClient(service.port()).get("/metrics").body;
  CHECK(metrics.find("lgraph_executions_total{graph=\"order_flow\"} 320\n") != std::string::npos);
  CHECK(metrics.find("lgraph_node_runs_total{graph=\"order_flow\",node=\"express\"} ") !=
        std::string::npos);
}
