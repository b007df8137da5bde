// Hostile and unusual clients: each is dealt with on its own connection, and the others are
// served meanwhile.
#include <logic_graph/service/server.hpp>

#include "support/http_client.hpp"
#include "support/service_fixture.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

namespace {

using lg::test::HttpClient;
using lg::test::ServiceFixture;
namespace http = boost::beast::http;

const char* const tiny = R"({"nodes": [{"id": "one", "type": "compute", "set": {"x": "1"}}]})";

lg::service::ServerOptions options_without_watch() {
  lg::service::ServerOptions options;
  options.watch = false;
  return options;
}

}  // namespace

TEST_CASE("serve: pipelined requests are answered in order" * doctest::timeout(60)) {
  ServiceFixture service;
  service.graph("tiny.json", tiny);
  service.start(options_without_watch());
  HttpClient client(service.port());
  client.send_raw(
      "GET /v1/graphs/nothing HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /v1/graphs/tiny/execute HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(client.read().status == 404);
  const auto executed = client.read();
  CHECK(executed.status == 200);
  CHECK(executed.json()["result"]["x"] == 1);
  CHECK(client.read().json()["status"] == "ok");
  CHECK(client.read().status == 405);
}

TEST_CASE("serve: a client that expects 100-continue is told to go on" * doctest::timeout(60)) {
  ServiceFixture service;
  service.graph("tiny.json", tiny);
  service.start(options_without_watch());
  HttpClient client(service.port());
  const std::string body = R"({"pad": ")" + std::string(2000, 'x') + "\"}";
  client.send_raw(
      fmt::format("POST /v1/graphs/tiny/execute HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                  "Content-Length: {}\r\n\r\n",
                  body.size()));
  CHECK(client.read().status == 100);  // before any byte of the body was sent
  client.send_raw(body);
  const auto reply = client.read();
  CHECK(reply.status == 200);
  CHECK(reply.json()["result"]["pad"].get<std::string>().size() == 2000);
}

TEST_CASE("serve: garbage, huge headers and slow clients close only their connection" *
          doctest::timeout(60)) {
  ServiceFixture service;
  service.graph("tiny.json", tiny);
  lg::service::ServerOptions options = options_without_watch();
  options.max_header_bytes = 1024;
  options.read_timeout = std::chrono::milliseconds(100);
  options.idle_timeout = std::chrono::milliseconds(100);
  service.start(options);

  SUBCASE("garbage: 400, then closed") {
    HttpClient client(service.port());
    client.send_raw("\x01\x02\x03 this is not HTTP\r\n\r\n");
    const auto reply = client.read();
    CHECK(reply.status == 400);
    CHECK(reply.json()["error"].get<std::string>().starts_with("malformed HTTP request"));
    CHECK(client.closed_by_server());
  }
  SUBCASE("a header over the limit: 431, then closed") {
    HttpClient client(service.port());
    client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(4000, 'p') +
                    "\r\n\r\n");
    CHECK(client.read().status == 431);
    CHECK(client.closed_by_server());
  }
  SUBCASE("slowloris: a request that never ends is closed at the read timeout") {
    HttpClient client(service.port());
    client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    CHECK(client.closed_by_server());
  }
  SUBCASE("an idle kept-alive connection is closed at the idle timeout") {
    HttpClient client(service.port());
    CHECK(client.get("/healthz").status == 200);
    CHECK(client.closed_by_server());
  }
  // Whatever the other connection did, a new one is served.
  CHECK(HttpClient(service.port()).post("/v1/graphs/tiny/execute", "{}").status == 200);
}

TEST_CASE("serve: connections over the cap are answered 503 and closed" * doctest::timeout(60)) {
  ServiceFixture service;
  service.graph("tiny.json", tiny);
  lg::service::ServerOptions options = options_without_watch();
  options.max_connections = 1;
  service.start(options);
  HttpClient first(service.port());
  CHECK(first.get("/healthz").status == 200);  // served: it holds the one place

  HttpClient second(service.port());
  const auto refused = second.get("/healthz");
  CHECK(refused.status == 503);
  CHECK(refused.header("Retry-After") == "1");
  CHECK_FALSE(refused.keep_alive);
  CHECK(second.closed_by_server());
  CHECK(first.post("/v1/graphs/tiny/execute", "{}").status == 200);
  const std::string metrics = first.get("/metrics").body;
  CHECK(metrics.find("lgraph_rejections_total{reason=\"max_connections\"} 1\n") !=
        std::string::npos);
}
