// The `postgres` node on pgbench's select-only transaction (-S): a SELECT by primary key of
// pgbench_accounts with a random aid, `SELECT abalance FROM pgbench_accounts WHERE aid = $1`,
// as a graph of the one node (mode value) on a runtime of 2 threads, a pool of CONNECTIONS
// connections and IN_FLIGHT executions kept in flight. Measures like pgbench: executions
// completed per second over SECONDS, after a second of warm-up (connections made, statements
// prepared). bench/run_postgres.sh runs it beside pgbench against the same server.
//
//   bench_postgres CONNECTION_STRING ACCOUNTS SECONDS [IN_FLIGHT=64] [CONNECTIONS=8]
//
// Prints `tps N` on one line.

#include <logic_graph/logic_graph.hpp>
#include "in_flight_load.hpp"

#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

namespace {

using Json = nlohmann::json;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 6) {
    std::cerr << "usage: bench_postgres CONNECTION_STRING ACCOUNTS SECONDS [IN_FLIGHT=64] "
                 "[CONNECTIONS=8]\n";
    return 2;
  }
  try {
    const std::int64_t accounts = std::atoll(argv[2]);
    const double seconds = std::atof(argv[3]);
    const int in_flight = argc > 4 ? std::atoi(argv[4]) : 64;
    const int connections = argc > 5 ? std::atoi(argv[5]) : 8;
    const Json graph = {{"nodes",
                         {{{"id", "balance"},
                           {"type", "postgres"},
                           {"connection", argv[1]},
                           {"mode", "value"},
                           {"query", "SELECT abalance FROM pgbench_accounts WHERE aid = $1"},
                           {"params", {"aid"}},
                           {"pool_size", connections}}}}};
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor executor{
        lg::GraphDef::from_json(graph), lg::builtin_nodes(), {.runtime = runtime}};
    executor.run({{"aid", 1}});  // fails here, with its message, when the server is not there

    double tps = 0;
    try {
      tps = lg::bench::executions_per_second(executor, in_flight, seconds, [accounts] {
        thread_local std::minstd_rand random(std::random_device{}());
        return Json{{"aid", std::uniform_int_distribution<std::int64_t>(1, accounts)(random)}};
      });
    } catch (const std::runtime_error&) {
      executor.run({{"aid", 1}});  // says why
      throw;
    }
    std::cout << "tps " << tps << '\n';
  } catch (const std::exception& e) {
    std::cerr << "bench_postgres: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
