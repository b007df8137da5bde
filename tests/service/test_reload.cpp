// Hot reload and shutdown: versions swap under requests in flight, bad files keep the old
// version, and a shutdown lets the executions in flight answer.
#include <logic_graph/service/server.hpp>

#include "service/hold_node.hpp"
#include "support/http_client.hpp"
#include "support/service_fixture.hpp"

#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <boost/asio/use_future.hpp>

#include <sstream>
#include <thread>

namespace {

using lg::test::HttpClient;
using lg::test::ServiceFixture;
using Json = nlohmann::json;
namespace http = boost::beast::http;

std::string versioned(int version) {
  return fmt::format(
      R"({{"nodes": [{{"id": "wait", "type": "hold"}},
                     {{"id": "version", "type": "compute", "set": {{"v": "{}"}}}}],
          "edges": [{{"from": "wait", "to": "version"}}]}})",
      version);
}

std::shared_ptr<spdlog::logger> logger_into(std::ostringstream& stream) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream);
  sink->set_pattern("%v");
  return std::make_shared<spdlog::logger>("service-test", std::move(sink));
}

}  // namespace

TEST_CASE("serve: a reload swaps versions, requests in flight finish on theirs" *
          doctest::timeout(60)) {
  auto holds = std::make_shared<lg::test::Holds>();
  std::ostringstream log;
  ServiceFixture service;
  service.graph("graph.json", versioned(1));
  lg::service::ServerOptions options;
  options.registry = lg::test::hold_registry(holds);
  options.logger = logger_into(log);
  options.watch = false;
  service.start(options);

  HttpClient first(service.port());
  first.send(http::verb::post, "/v1/graphs/graph/execute", "{}");
  holds->arrived.acquire();  // version 1 is running

  service.graph("graph.json", versioned(2));
  const lg::service::ReloadReport report = service.server->router().reload();
  CHECK(report.loaded == std::vector<std::string>{"graph"});
  CHECK(report.errors.empty());

  SUBCASE("a bad new file keeps the current version and logs every problem") {
    service.graph("graph.json",
                  R"({"nodes": [{"id": "a", "type": "nope"}, {"id": "a", "type": "rule"}],
                                   "edges": [{"from": "a", "to": "ghost"}]})");
    const auto bad = service.server->router().reload();
    CHECK(bad.loaded.empty());
    CHECK(bad.errors.size() >= 2);
    for (const std::string& problem : bad.errors) {
      CHECK(log.str().find(problem) != std::string::npos);
    }
    CHECK(log.str().find("graph.json") != std::string::npos);
    CHECK(log.str().find("ghost") != std::string::npos);
  }
  SUBCASE("a removed file is no longer served") {
    std::filesystem::remove(service.dir / "graph.json");
    CHECK(service.server->router().reload().removed == std::vector<std::string>{"graph"});
    holds->gate.open();
    CHECK(HttpClient(service.port()).post("/v1/graphs/graph/execute", "{}").status == 404);
  }
  holds->gate.open();
  // The request that started on version 1 ends on it.
  const auto old_reply = first.read();
  REQUIRE(old_reply.status == 200);
  CHECK(old_reply.json()["result"]["v"] == 1);
  if (std::filesystem::exists(service.dir / "graph.json")) {
    const auto new_reply = HttpClient(service.port()).post("/v1/graphs/graph/execute", "{}");
    CHECK(new_reply.json()["result"]["v"] == 2);
  }
}

TEST_CASE("serve: a file written into the folder is picked up (inotify)" * doctest::timeout(60)) {
  ServiceFixture service;
  service.graph("first.json", R"({"nodes": [{"id": "a", "type": "rule", "condition": "true"}]})");
  service.start();  // watching
  HttpClient client(service.port());
  CHECK(client.post("/v1/graphs/second/execute", "{}").status == 404);
  service.graph("second.json", R"({"nodes": [{"id": "b", "type": "rule", "condition": "true"}]})");
  // Each reload bumps the generation; the one after the write shows the new graph.
  while (client.get("/v1/graphs/second").status != 200) {
    std::this_thread::yield();
  }
  CHECK(client.post("/v1/graphs/second/execute", "{}").json()["result"]["b"] == true);
}

TEST_CASE("serve: shutdown lets requests in flight answer, then closes" * doctest::timeout(60)) {
  auto holds = std::make_shared<lg::test::Holds>();
  ServiceFixture service;
  service.graph("held.json", lg::test::held_graph_json);
  lg::service::ServerOptions options;
  options.registry = lg::test::hold_registry(holds);
  options.watch = false;
  service.start(options);

  HttpClient busy(service.port());
  busy.send(http::verb::post, "/v1/graphs/held/execute", "{}");
  holds->arrived.acquire();
  HttpClient idle(service.port());
  CHECK(idle.get("/readyz").status == 200);

  auto stopped = service.server->async_shutdown(boost::asio::use_future);
  CHECK(idle.closed_by_server());  // the idle connection goes at once
  CHECK(stopped.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  holds->gate.open();
  const auto reply = busy.read();
  CHECK(reply.status == 200);
  CHECK_FALSE(reply.keep_alive);
  CHECK(busy.closed_by_server());
  stopped.get();
  CHECK(service.runtime->in_flight() == 0);
}
