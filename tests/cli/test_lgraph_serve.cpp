// `lgraph serve` as a process: the first line, the API over HTTP, SIGHUP reloads, an orderly
// SIGTERM, and /metrics as promtool reads it.
#include "cli/serve_process.hpp"
#include "support/http_client.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace {

using lg::test::HttpClient;
using lg::test::ServeProcess;
using Json = nlohmann::json;
namespace http = boost::beast::http;

const char* const slow = R"({"nodes": [{"id": "wait", "type": "delay", "ms": 2000},
                                       {"id": "done", "type": "rule", "condition": "true"}],
                             "edges": [{"from": "wait", "to": "done"}]})";

std::string metric_line(const std::string& metrics, const std::string& name) {
  const std::size_t at = metrics.find("\n" + name + " ");
  return at == std::string::npos ? "" : metrics.substr(at + 1, metrics.find('\n', at + 1) - at - 1);
}

}  // namespace

TEST_CASE("lgraph serve: prints where it listens, serves the folder, exits 0 on SIGTERM" *
          doctest::timeout(120)) {
  const lg::test::TempDir dir;
  std::filesystem::copy_file(lg::test::graph("order_flow.json"), dir / "order_flow.json");
  dir.write("slow.json", slow);
  ServeProcess server(
      {"--graphs", (dir / "").string(), "--port", "0", "--threads", "2", "--no-watch"});
  REQUIRE(server.first_line().starts_with("listening on 127.0.0.1:"));
  REQUIRE(server.port() != 0);
  HttpClient client(server.port());

  const auto reply = client.post("/v1/graphs/order_flow/execute", lg::test::order_input);
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["result"]["final_total"] == 108.0);
  CHECK(client.get("/v1/graphs").json()["graphs"].size() == 2);

  SUBCASE("SIGHUP reloads, a bad file keeps the old version and its errors are logged") {
    dir.write("order_flow.json", R"({"nodes": [{"id": "x", "type": "no_such_type"}]})");
    server.signal(SIGHUP);
    while (client.get("/v1/graphs").json()["generation"] == 1) {
      std::this_thread::yield();
    }
    CHECK(client.post("/v1/graphs/order_flow/execute", lg::test::order_input).status == 200);
    server.signal(SIGTERM);
    CHECK(server.wait() == 0);
    CHECK(lg::test::contains(server.err(), "no_such_type"));
  }
  SUBCASE("SIGTERM with a request in flight: it is answered, then the process exits 0") {
    HttpClient busy(server.port());
    busy.send(http::verb::post, "/v1/graphs/slow/execute", "{}");
    while (metric_line(client.get("/metrics").body, "lgraph_executions_in_flight") !=
           "lgraph_executions_in_flight 1") {
      std::this_thread::yield();
    }
    server.signal(SIGTERM);
    const auto answered = busy.read();
    CHECK(answered.status == 200);
    CHECK(answered.json()["result"]["done"] == true);
    CHECK(server.wait() == 0);
  }
}

TEST_CASE("lgraph serve: /metrics passes promtool check metrics" * doctest::timeout(120)) {
  const lg::test::TempDir dir;
  std::filesystem::copy_file(lg::test::graph("order_flow.json"), dir / "order_flow.json");
  ServeProcess server({"--graphs", (dir / "").string(), "--port", "0", "--no-watch"});
  HttpClient client(server.port());
  for (int i = 0; i < 3; ++i) {
    CHECK(client.post("/v1/graphs/order_flow/execute", lg::test::order_input).status == 200);
  }
  const std::string metrics = client.get("/metrics").body;
  for (const char* name :
       {"lgraph_executions_total{graph=\"order_flow\"} 3", "lgraph_executions_failed_total",
        "lgraph_execution_duration_seconds_bucket{graph=\"order_flow\",le=\"+Inf\"} 3",
        "lgraph_node_runs_total{graph=\"order_flow\",node=\"price\"} 3",
        "lgraph_node_failures_total", "lgraph_node_duration_seconds_total",
        "lgraph_executions_in_flight 0", "lgraph_rejections_total{reason=\"max_inflight\"} 0",
        "lgraph_context_pool_size", "lgraph_context_pool_reuse_ratio",
        "lgraph_context_pool_created_total", "lgraph_context_pool_reused_total",
        "lgraph_memory_bytes", "lgraph_memory_peak_bytes", "process_start_time_seconds"}) {
    CHECK_MESSAGE(lg::test::contains(metrics, name), name);
  }
  const std::string file = dir.write("metrics.txt", metrics);
  const lg::test::Outcome checked = lg::test::run_program("promtool", {"check", "metrics"}, file);
  CHECK_MESSAGE(checked.exit_code == 0, checked.out << checked.err);
  server.signal(SIGINT);
  CHECK(server.wait() == 0);
}

TEST_CASE("lgraph serve: a folder that does not exist is refused with exit code 2") {
  const lg::test::Outcome outcome = lg::test::lgraph({"serve", "--graphs", "/no/such/folder"});
  CHECK(outcome.exit_code == 2);
  CHECK(lg::test::contains(outcome.err, "--graphs /no/such/folder: not a folder"));
}
