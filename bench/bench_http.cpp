// The `http` node beside wrk against the same loopback server (bench/run_http.sh runs both).
//
//   bench_http serve THREADS          starts the test server (a Beast HTTP/1.1 server answering
//                                     {"ok": true}), prints its URL, serves until stdin closes
//   bench_http node URL SECONDS        a graph of one `http` node GETting URL, 64 executions in
//                                     flight on a 2-thread runtime for SECONDS after a
//                                     second of warm-up; prints requests per second
//
// Both use keep-alive connections: wrk's 64, and the node's pool (max_connections 64).

#include "in_flight_load.hpp"
#include "support/http_test_server.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <fmt/format.h>

#include <iostream>
#include <string>

namespace {

int serve(std::size_t threads) {
  const lg::test::TestHttpServer server(
      [](const lg::test::TestRequest&) { return lg::test::reply(R"({"ok":true})"); }, nullptr,
      threads);
  std::cout << server.url("/") << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}

int node(const std::string& url, double seconds) {
  auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
  const nlohmann::json graph{
      {"nodes", {{{"id", "call"}, {"type", "http"}, {"url", url}, {"max_connections", 64}}}}};
  lg::Executor executor{lg::GraphDef::from_json(graph), lg::builtin_nodes(), {.runtime = runtime}};
  executor.run(nullptr);  // opens a connection and checks the server answers
  const double rate =
      lg::bench::executions_per_second(executor, 64, seconds, [] { return nlohmann::json(); });
  std::cout << fmt::format("{:.0f}", rate) << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "serve" && argc == 3) {
      return serve(std::stoul(argv[2]));
    }
    if (mode == "node" && argc == 4) {
      return node(argv[2], std::stod(argv[3]));
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_http: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: bench_http serve THREADS | bench_http node URL SECONDS\n";
  return 2;
}
