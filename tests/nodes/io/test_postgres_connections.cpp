// The postgres node's connections: the pool, runs in flight, cancellation, broken connections,
// TLS. The node's modes, values and errors are in test_postgres_node.cpp.

#include "nodes/io/postgres_support.hpp"

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node_error.hpp>

#include <doctest/doctest.h>
#include <boost/asio/use_future.hpp>

#include <cstdlib>
#include <future>
#include <string>
#include <vector>

using lg::test::closed_port;
using lg::test::failure_of;
using lg::test::on;
using lg::test::PgDirect;
using lg::test::postgres;
using lg::test::postgres_at;
using lg::test::postgres_url;
using lg::test::result_of;
using lg::test::sessions;
using lg::test::typed;
using lg::test::value_at;
using Json = nlohmann::json;

TEST_SUITE("postgres node") {
  TEST_CASE("a statement is prepared once per connection and reused") {
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor twice = on(
        runtime,
        postgres("SELECT $1::int * 2", {{"mode", "value"}, {"params", {"x"}}, {"pool_size", 1}}));
    for (int i = 0; i < 5; ++i) {
      CHECK(value_at(twice, {{"x", i}}) == 2 * i);
    }
    lg::Executor prepared =
        on(runtime, postgres("SELECT name, statement, generic_plans + custom_plans AS runs FROM "
                             "pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared%'",
                             {{"pool_size", 1}}));
    CHECK(value_at(prepared) ==
          Json::parse(R"([{"name": "lg_1", "statement": "SELECT $1::int * 2", "runs": 5}])"));
  }

  TEST_CASE("pool_size bounds the connections, and runs beyond it wait in a queue" *
            doctest::timeout(300)) {
    const std::string app = "lg_pool_bound";
    const PgDirect db;
    db.exec("SELECT pg_advisory_lock(4201)");
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor blocked =
        on(runtime, postgres_at(postgres_url("application_name=" + app),
                                "SELECT 1 FROM pg_advisory_xact_lock_shared(4201)",
                                {{"mode", "value"}, {"pool_size", 2}}));
    std::vector<std::future<lg::ExecutionResult>> runs;
    for (int i = 0; i < 8; ++i) {
      runs.push_back(blocked.async_execute(nullptr, boost::asio::use_future));
    }
    // Two sessions wait on the lock, and the other six runs wait for them without a session.
    db.wait_until(sessions(app, "wait_event_type = 'Lock'"), "2");
    CHECK(db.value(sessions(app)) == "2");
    db.exec("SELECT pg_advisory_unlock(4201)");
    for (auto& run : runs) {
      CHECK(run.get().context().get<int>("n") == 1);
    }
    CHECK(db.value(sessions(app)) == "2");  // idle in the pool
  }

  TEST_CASE("50 queries wait on the server at once on 2 runtime threads: no worker waits" *
            doctest::timeout(300)) {
    const std::string app = "lg_no_wait";
    const PgDirect db;
    db.exec("SELECT pg_advisory_lock(4202)");
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor sleepy =
        on(runtime, postgres_at(postgres_url("application_name=" + app),
                                "SELECT pg_sleep(0.2) FROM pg_advisory_xact_lock_shared(4202)",
                                {{"mode", "exec"}, {"pool_size", 50}}));
    lg::Executor other = on(runtime, typed("rule", {{"condition", "x > 1"}}));
    std::vector<std::future<lg::ExecutionResult>> runs;
    for (int i = 0; i < 50; ++i) {
      runs.push_back(sleepy.async_execute(nullptr, boost::asio::use_future));
    }
    // All 50 queries are on the server at the same time, while the 2 threads serve others.
    db.wait_until(sessions(app, "wait_event_type = 'Lock'"), "50");
    for (int i = 0; i < 100; ++i) {
      CHECK(other.run({{"x", i}}).context().get<bool>("n") == (i > 1));
    }
    db.exec("SELECT pg_advisory_unlock(4202)");
    int done = 0;
    for (auto& run : runs) {
      done += run.get().context().get<Json>("n").value_or(Json())["changes"] == 1 ? 1 : 0;
    }
    CHECK(done == 50);
  }

  TEST_CASE("a timeout cancels the query on the server, and the connection is reset and reused") {
    const std::string app = "lg_cancel";
    const std::string url = postgres_url("application_name=" + app);
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor pid = on(runtime, postgres_at(url, "SELECT pg_backend_pid()",
                                               {{"mode", "value"}, {"pool_size", 1}}));
    lg::Executor sleep = on(
        runtime,
        typed("timeout", {{"ms", 100},
                          {"node", postgres_at(url, "SELECT pg_sleep(30)", {{"pool_size", 1}})}}));
    const Json before = value_at(pid);
    const lg::ExecutionError error = lg::test::failure(sleep);
    CHECK(std::string(error.what()) == "node 'n' failed: timed out after 100 ms");
    REQUIRE(error.cause());
    CHECK(lg::to_node_error(error.cause(), "n").kind() == lg::NodeError::Kind::timed_out);
    const PgDirect db;
    CHECK(db.value(sessions(app, "state = 'active'")) == "0");  // the sleep was cancelled
    CHECK(value_at(pid) == before);                             // on the same connection

    // A deadline cancels it too.
    try {
      lg::Executor endless = on(runtime, postgres_at(url, "SELECT pg_sleep(30)"));
      endless.run(nullptr, {.deadline = std::chrono::milliseconds(100)});
      FAIL("the query ended");
    } catch (const lg::ExecutionError& e) {
      CHECK(e.kind() == lg::ExecutionError::Kind::deadline);
    }
    CHECK(db.value(sessions(app, "state = 'active'")) == "0");
    CHECK(value_at(pid) == before);
  }

  TEST_CASE("a connection the server closed is replaced, and a query it kills fails") {
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    const std::string url = postgres_url("application_name=lg_killed");
    lg::Executor pid = on(runtime, postgres_at(url, "SELECT pg_backend_pid()",
                                               {{"mode", "value"}, {"pool_size", 1}}));
    const PgDirect db;
    const Json first = value_at(pid);
    // Waits until the session has ended: its connection is closed when the node next takes it.
    CHECK(db.value("SELECT pg_terminate_backend(" + first.dump() + ", 60000)") == "t");
    const Json second = value_at(pid);
    CHECK(second.is_number_integer());
    CHECK(second != first);

    lg::Executor sleep = on(runtime, postgres_at(url, "SELECT pg_sleep(60)", {{"pool_size", 1}}));
    auto running = sleep.async_execute(nullptr, boost::asio::use_future);
    db.wait_until(sessions("lg_killed", "state = 'active' AND query = 'SELECT pg_sleep(60)'"), "1");
    db.exec("SELECT pg_terminate_backend(" + second.dump() + ", 60000)");
    try {
      running.get();
      FAIL("the killed query succeeded");
    } catch (const lg::ExecutionError& e) {
      CHECK(std::string(e.what()).find(
                "node 'n' failed: connection: terminating connection due to administrator "
                "command") == 0);
    }
    const Json third = value_at(pid);
    CHECK(third.is_number_integer());
    CHECK(third != second);
  }

  TEST_CASE("max_rows: more rows fail the node, and the connection stays usable") {
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor many = on(runtime, postgres("SELECT x FROM generate_series(1, 100000) AS x",
                                             {{"max_rows", 10}, {"pool_size", 1}}));
    CHECK(std::string(lg::test::failure(many).what()) ==
          "node 'n' failed: query: gives more than max_rows (10) rows; narrow it, or raise "
          "max_rows");
    lg::Executor few = on(runtime, postgres("SELECT x FROM generate_series(1, 10) AS x",
                                            {{"max_rows", 10}, {"pool_size", 1}}));
    CHECK(value_at(few).size() == 10);
  }

  TEST_CASE("over TLS (the test server's default) and plain TCP, results larger than a record") {
    for (const bool tls : {true, false}) {
      CAPTURE(tls);
      const std::string url = postgres_url(tls ? "sslmode=require" : "sslmode=disable");
      auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
      lg::Executor secured =
          on(runtime, postgres_at(url, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                                  {{"mode", "value"}}));
      CHECK(value_at(secured) == tls);
      // 6 MB in 20,000 rows, and one value of 1 MB: many TLS records, each larger than what
      // libpq reads of one at a time.
      lg::Executor rows =
          on(runtime,
             postgres_at(url,
                         "SELECT x, repeat('x', 300) AS filler FROM generate_series(1, 20000) x"));
      const Json all = value_at(rows);
      REQUIRE(all.size() == 20000);
      CHECK(all.back()["x"] == 20000);
      CHECK(all.back()["filler"].get<std::string>().size() == 300);
      lg::Executor wide =
          on(runtime, postgres_at(url, "SELECT repeat('y', 1000000)", {{"mode", "value"}}));
      CHECK(value_at(wide).get<std::string>().size() == 1000000);
    }
  }
}
