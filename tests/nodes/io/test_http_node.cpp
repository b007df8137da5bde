#include "nodes/node_run.hpp"
#include "support/execution_failure.hpp"
#include "support/http_test_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node_error.hpp>

#include <doctest/doctest.h>

#include <boost/asio/use_future.hpp>

#include <atomic>
#include <future>
#include <string>
#include <vector>

using lg::test::one_node_graph;
using lg::test::reply;
using lg::test::TestRequest;
using lg::test::TestResponse;
using lg::test::typed;
using Json = nlohmann::json;

using lg::test::has;
using lg::test::result_of;

namespace {

// Answers with what it was asked, as JSON.
TestResponse echo(const TestRequest& request) {
  Json headers = Json::object();
  for (const auto& [name, value] : request.headers) {
    headers[name] = value;
  }
  return reply(Json{{"method", request.method},
                    {"path", request.path},
                    {"query", request.query},
                    {"headers", headers},
                    {"body", request.body}}
                   .dump());
}

Json http(const std::string& url, Json fields = Json::object()) {
  fields["url"] = url;
  return typed("http", std::move(fields));
}

// The execution's failure.
lg::ExecutionError error_of(const Json& node, Json input = nullptr) {
  lg::Executor executor{one_node_graph(node), lg::builtin_nodes(), {.threads = 2}};
  return lg::test::failure(executor, std::move(input));
}

}  // namespace

TEST_SUITE("http node") {
  TEST_CASE("url, query and headers are templates, the response's JSON is parsed") {
    const lg::test::TestHttpServer server(echo);
    const Json out =
        result_of(http(server.url("/customers/{{ customer.id }}"),
                       {{"query", {{"q", "{{ customer.name }}"}, {"page", "2"}}},
                        {"headers", {{"X-Request", "order {{ order }}"}}}}),
                  {{"customer", {{"id", "c 7"}, {"name", "Ann & Bob"}}}, {"order", 42}});
    CHECK(out["status"] == 200);
    CHECK(out["headers"]["content-type"] == "application/json");
    const Json& seen = out["body"];
    CHECK(seen["method"] == "GET");
    CHECK(seen["path"] == "/customers/c%207");  // a value's space is encoded in the url
    CHECK(seen["query"] == Json{{"q", "Ann & Bob"}, {"page", "2"}});
    CHECK(seen["headers"]["x-request"] == "order 42");
    CHECK(seen["headers"]["host"] == "127.0.0.1:" + std::to_string(server.port()));
  }

  TEST_CASE("bodies: an object of expressions sent as JSON, a text template as text") {
    const lg::test::TestHttpServer server(echo);
    const Json input{{"order", {{"id", 9}, {"total", 12.5}}}};
    const Json json = result_of(
        http(server.url("/orders"),
             {{"method", "POST"},
              {"body", {{"id", "order.id"}, {"gross", "order.total * 2"}, {"tags", {"'a'", 1}}}}}),
        input);
    CHECK(json["body"]["method"] == "POST");
    CHECK(json["body"]["headers"]["content-type"] == "application/json");
    CHECK(Json::parse(json["body"]["body"].get<std::string>()) ==
          Json{{"id", 9}, {"gross", 25.0}, {"tags", {"a", 1}}});
    const Json text =
        result_of(http(server.url("/notes"), {{"method", "PUT"},
                                              {"body", "order {{ order.id }}"},
                                              {"headers", {{"Content-Type", "x/y"}}}}),
                  input);
    CHECK(text["body"]["body"] == "order 9");
    CHECK(text["body"]["headers"]["content-type"] == "x/y");
  }

  TEST_CASE("a response that is not JSON is text, a JSON one that does not parse fails") {
    const lg::test::TestHttpServer server([](const TestRequest& request) {
      if (request.path == "/text") {
        TestResponse text = reply("plain {");
        text.headers = {{"Content-Type", "text/plain"}};
        return text;
      }
      return reply("{\"a\": [1, 2");
    });
    CHECK(result_of(http(server.url("/text")))["body"] == "plain {");
    CHECK(has(error_of(http(server.url("/broken"))).what(),
              "the response is not valid JSON (line 1, column"));
  }

  TEST_CASE("status 400 and above fails naming the status, unless accepted") {
    const lg::test::TestHttpServer server([](const TestRequest& request) {
      TestResponse response = reply(R"({"error": "no such thing"})");
      response.status = request.path == "/missing" ? 404U : 503U;
      return response;
    });
    const lg::ExecutionError error = error_of(http(server.url("/missing?key=secret")));
    CHECK(error.node_id() == "n");
    CHECK(has(error.what(), "GET " + server.url("/missing") + ": status 404: {\"error\""));
    CHECK(!has(error.what(), "secret"));  // the query is not in messages
    const Json accepted = result_of(http(server.url("/missing"), {{"accept_status", {404}}}));
    CHECK(accepted["status"] == 404);
    CHECK(accepted["body"]["error"] == "no such thing");
    CHECK(
        has(error_of(http(server.url("/down"), {{"accept_status", {404}}})).what(), "status 503"));
  }

  TEST_CASE("connections are kept alive and reused, one the server closed is replaced") {
    lg::test::TestHttpServer server(echo);
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor executor{
        one_node_graph(http(server.url("/x"))), lg::builtin_nodes(), {.runtime = runtime}};
    for (int i = 0; i < 20; ++i) {
      CHECK(executor.run(nullptr).to_json()["n"]["status"] == 200);
    }
    CHECK(server.connections() == 1);
    CHECK(server.close_idle() == 1);  // as a server drops an idle keep-alive connection
    CHECK(executor.run(nullptr).to_json()["n"]["status"] == 200);
    CHECK(server.connections() == 2);
    CHECK(server.requests() == 21);
  }

  TEST_CASE("timeout_ms ends a slow response, kind timed_out, retry gets a fresh connection") {
    std::atomic<int> flaky_calls{0};
    const lg::test::TestHttpServer server([&](const TestRequest& request) {
      // /slow never answers in time; /flaky not the first time, then at once.
      const bool slow = request.path == "/slow" || ++flaky_calls == 1;
      return reply("{}", std::chrono::milliseconds(slow ? 600'000 : 0));
    });
    const lg::ExecutionError error = error_of(http(server.url("/slow"), {{"timeout_ms", 50}}));
    CHECK(has(error.what(), "GET " + server.url("/slow") + ": timed out after 50 ms"));
    REQUIRE(error.cause() != nullptr);
    CHECK(lg::to_node_error(error.cause(), "n").kind() == lg::NodeError::Kind::timed_out);
    const Json retried = result_of(
        http(server.url("/flaky"),
             {{"timeout_ms", 50}, {"retry", {{"attempts", 2}, {"retry_on", {"timed_out"}}}}}));
    CHECK(retried["status"] == 200);
    CHECK(flaky_calls == 2);
    CHECK(server.connections() == 3);  // a connection that timed out is not used again
  }

  TEST_CASE("the execution's deadline cancels a request in flight") {
    const lg::test::TestHttpServer server(
        [](const TestRequest&) { return reply("{}", std::chrono::milliseconds(600'000)); });
    lg::Executor executor{
        one_node_graph(http(server.url("/held"))), lg::builtin_nodes(), {.threads = 2}};
    try {
      executor.run(nullptr, {.deadline = std::chrono::milliseconds(50)});
      FAIL("the execution did not fail");
    } catch (const lg::ExecutionError& e) {
      CHECK(e.kind() == lg::ExecutionError::Kind::deadline);
    }
  }

  TEST_CASE("dropped, malformed and oversized responses fail naming what happened") {
    const lg::test::TestHttpServer server([](const TestRequest& request) {
      using Fault = TestResponse::Fault;
      TestResponse response = reply(std::string(5000, 'x'));
      response.headers = {{"Content-Type", "text/plain"}};
      if (request.path == "/silent") {
        response.fault = Fault::close_without_response;
      } else if (request.path == "/half") {
        response.fault = Fault::close_mid_body;
      } else if (request.path == "/garbage") {
        response.fault = Fault::garbage;
      }
      return response;
    });
    CHECK(has(error_of(http(server.url("/silent"))).what(),
              "the server closed the connection without responding"));
    CHECK(has(error_of(http(server.url("/half"))).what(),
              "the server closed the connection before the response ended"));
    CHECK(has(error_of(http(server.url("/garbage"))).what(), "a malformed response"));
    CHECK(has(error_of(http(server.url("/big"), {{"max_response_bytes", 1000}})).what(),
              "the response is larger than max_response_bytes (1000)"));
    CHECK(result_of(http(server.url("/big"), {{"max_response_bytes", 5000}}))["body"] ==
          std::string(5000, 'x'));
  }

  TEST_CASE("connection refused, unknown hosts and bad URLs are node errors") {
    std::uint16_t closed_port = 0;
    {
      const lg::test::TestHttpServer gone(echo);
      closed_port = gone.port();
    }
    const std::string refused = "http://127.0.0.1:" + std::to_string(closed_port) + "/x";
    const lg::ExecutionError error = error_of(http(refused));
    CHECK(error.node_id() == "n");
    CHECK(has(error.what(), "GET " + refused + ": connection refused"));
    CHECK(has(error_of(http("http://no-such-host.invalid/x")).what(),
              "no address found for host 'no-such-host.invalid'"));
    CHECK(has(error_of(http("{{ to }}"), {{"to", "ftp://example.org/"}}).what(),
              "url: 'ftp://example.org/' is not a URL this node can call: it must start with "
              "http:// or https://"));
    CHECK(has(
        error_of(http(refused, {{"headers", {{"X-A", "{{ v }}"}}}}), {{"v", "a\r\nB: c"}}).what(),
        "headers.X-A: the value has a line break"));
  }

  TEST_CASE("config errors name the field") {
    using lg::test::build_error;
    CHECK(has(build_error(typed("http", Json::object())), "field 'url': missing"));
    CHECK(has(build_error(http("http://a/", {{"method", "FETCH"}})),
              "field 'method': 'FETCH' is not an HTTP method"));
    CHECK(has(build_error(http("http://a/", {{"headers", {{"Bad Name", "x"}}}})),
              "field 'headers.Bad Name': is not a valid header name"));
    CHECK(has(build_error(http("http://a/", {{"headers", {{"content-length", "1"}}}})),
              "field 'headers.content-length': is set by the client"));
    CHECK(has(build_error(http("http://a/", {{"accept_status", {200, 99}}})),
              "field 'accept_status[1]': must be a status code"));
    CHECK(has(build_error(http("http://a/", {{"body", 3}})), "field 'body': must be a text"));
    CHECK(has(build_error(http("http://a/", {{"timeout_ms", 0}})), "field 'timeout_ms'"));
    CHECK(has(build_error(http("http://a/{{ x + }}")), "field 'url': the expression at position"));
    CHECK(has(build_error(http("http://a/", {{"ca_file", "/no/such/ca.pem"}})),
              "field 'ca_file': '/no/such/ca.pem' cannot be read"));
    CHECK(has(build_error(http("http://a/", {{"verb", "GET"}})), "field 'verb': not a field"));
  }

  TEST_CASE("https: verified against ca_file, an unknown authority is refused") {
    const lg::test::TestCertificates certificates = lg::test::make_test_certificates();
    const lg::test::TempDir dir;
    lg::test::write_file(dir / "ca.pem", certificates.ca_pem);
    const std::string ca_file = (dir / "ca.pem").string();
    const lg::test::TestTls tls{certificates.server_cert_pem, certificates.server_key_pem};
    const lg::test::TestHttpServer server(echo, &tls);
    const Json out = result_of(http(server.url("/secure"), {{"ca_file", ca_file}}));
    CHECK(out["status"] == 200);
    CHECK(out["body"]["path"] == "/secure");
    const std::string by_name = "https://localhost:" + std::to_string(server.port()) + "/sni";
    CHECK(result_of(http(by_name, {{"ca_file", ca_file}}))["body"]["path"] == "/sni");
    CHECK(has(error_of(http(server.url("/secure"))).what(), "TLS: certificate verify failed"));
    const lg::test::TestTls lone{certificates.self_signed_cert_pem,
                                 certificates.self_signed_key_pem};
    const lg::test::TestHttpServer impostor(echo, &lone);
    CHECK(has(error_of(http(impostor.url("/x"), {{"ca_file", ca_file}})).what(),
              "TLS: certificate verify failed"));
  }

  TEST_CASE("max_connections: requests beyond it wait for a kept-alive connection") {
    auto gate = std::make_shared<lg::test::TestGate>();
    std::atomic<int> arrived{0};
    const lg::test::TestHttpServer server([&](const TestRequest&) {
      if (++arrived == 2) {
        gate->open();  // both connections busy: let them all go
      }
      return reply("{}", gate);
    });
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor executor{one_node_graph(http(server.url("/x"), {{"max_connections", 2}})),
                          lg::builtin_nodes(),
                          {.runtime = runtime}};
    std::vector<std::future<lg::ExecutionResult>> runs;
    for (int i = 0; i < 8; ++i) {
      runs.push_back(executor.async_execute(nullptr, boost::asio::use_future));
    }
    for (auto& run : runs) {
      CHECK(run.get().to_json()["n"]["status"] == 200);
    }
    CHECK(server.connections() == 2);
    CHECK(arrived == 8);
  }

  TEST_CASE("a request waiting for a connection is cancelled by its deadline, none is lost") {
    auto gate = std::make_shared<lg::test::TestGate>();
    std::promise<void> held_arrived;
    const lg::test::TestHttpServer server([&](const TestRequest& request) {
      if (request.path == "/held") {
        held_arrived.set_value();
        return reply("{}", gate);
      }
      return reply("{}");
    });
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    const Json node = http(server.url("{{ path }}"), {{"max_connections", 1}});
    lg::Executor executor{one_node_graph(node), lg::builtin_nodes(), {.runtime = runtime}};
    // The one connection is busy with a held request...
    auto held = executor.async_execute(Json{{"path", "/held"}}, boost::asio::use_future);
    held_arrived.get_future().wait();
    // ...so another waits for it, until its deadline.
    try {
      executor.run(Json{{"path", "/free"}}, {.deadline = std::chrono::milliseconds(50)});
      FAIL("the execution did not fail");
    } catch (const lg::ExecutionError& e) {
      CHECK(e.kind() == lg::ExecutionError::Kind::deadline);
    }
    gate->open();
    CHECK(held.get().to_json()["n"]["status"] == 200);
    // The slot the cancelled wait never took is still there.
    CHECK(executor.run(Json{{"path", "/free"}}).to_json()["n"]["status"] == 200);
    CHECK(server.connections() == 1);
  }
}
