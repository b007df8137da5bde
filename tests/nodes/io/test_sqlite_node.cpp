#include "nodes/node_run.hpp"
#include "support/execution_failure.hpp"
#include "support/temp_dir.hpp"

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node_error.hpp>
#include <logic_graph/nodes/sqlite.hpp>

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <vector>

using lg::test::graph_of;
using lg::test::one_node_graph;
using lg::test::typed;
using Json = nlohmann::json;

using lg::test::failure_of;
using lg::test::result_of;

namespace {

Json sqlite(const std::string& database, const std::string& query, Json fields = Json::object()) {
  fields["database"] = database;
  fields["query"] = query;
  return typed("sqlite", std::move(fields));
}

// A connection of the test's own, through SQLite's C API.
struct Direct {
  sqlite3* db = nullptr;
  explicit Direct(const std::filesystem::path& file) {
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 60'000);
  }
  ~Direct() { sqlite3_close(db); }
  void exec(const char* sql) const {
    char* error = nullptr;
    const int status = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    INFO((error != nullptr ? error : ""));
    sqlite3_free(error);
    REQUIRE(status == SQLITE_OK);
  }
};

const char* const schema =
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price REAL, "
    "note TEXT, data BLOB);"
    "INSERT INTO items VALUES (1, 'pen', 1.5, NULL, x'00ff10'), (2, 'ink', 7.25, 'blue', NULL);";

}  // namespace

TEST_SUITE("sqlite node") {
  TEST_CASE("modes: rows as objects of typed columns, one row, one value, what exec changed") {
    const lg::test::TempDir dir;
    const std::string db = (dir / "shop.db").string();
    CHECK(result_of(sqlite(db, schema, {{"mode", "exec"}})) ==
          Json{{"changes", 2}, {"last_insert_id", 2}});
    CHECK(result_of(sqlite(db, "SELECT * FROM items ORDER BY id")) == Json::parse(R"([
      {"id": 1, "name": "pen", "price": 1.5, "note": null, "data": "AP8Q"},
      {"id": 2, "name": "ink", "price": 7.25, "note": "blue", "data": null}])"));
    CHECK(result_of(sqlite(db, "SELECT name FROM items WHERE id = ?1",
                           {{"mode", "one"}, {"params", {"id"}}}),
                    {{"id", 2}}) == Json{{"name", "ink"}});
    CHECK(result_of(sqlite(db, "SELECT name FROM items WHERE id = 9", {{"mode", "one"}})) ==
          nullptr);
    CHECK(result_of(sqlite(db, "SELECT sum(price) FROM items", {{"mode", "value"}})) == 8.75);
    CHECK(result_of(sqlite(db, "SELECT * FROM items WHERE id > 5")) == Json::array());
    // Named parameters, any of SQLite's marks; values of every JSON kind.
    const Json insert =
        sqlite(db, "INSERT INTO items (name, price, note) VALUES (:n, @p, $t)",
               {{"mode", "exec"}, {"params", {{"n", "name"}, {"p", "price"}, {"t", "tags"}}}});
    CHECK(result_of(insert, {{"name", "nib"}, {"price", 3}, {"tags", {"a", "b"}}}) ==
          Json{{"changes", 1}, {"last_insert_id", 3}});
    CHECK(result_of(sqlite(db,
                           "SELECT price, note, json_array_length(note) AS n FROM items "
                           "WHERE name = ?",
                           {{"mode", "one"}, {"params", {"'nib'"}}})) ==
          Json{{"price", 3.0}, {"note", R"(["a","b"])"}, {"n", 2}});
    CHECK(result_of(sqlite(db, "SELECT ?1 IS NULL AS a, ?2 AS b, ?3 AS c",
                           {{"mode", "one"}, {"params", {"null", "true", "2.5"}}})) ==
          Json{{"a", 1}, {"b", 1}, {"c", 2.5}});
  }

  TEST_CASE(
      "a relative database is the graph file's neighbour; the node's result is in the "
      "context") {
    const lg::test::TempDir dir;
    const Json graph = graph_of(
        {typed("sqlite", {{"id", "make"},
                          {"database", "data/made.db"},
                          {"mode", "exec"},
                          {"query", "CREATE TABLE t (x); INSERT INTO t VALUES (41), (1);"}}),
         typed("sqlite", {{"id", "sum"},
                          {"database", "data/made.db"},
                          {"mode", "value"},
                          {"query", "SELECT sum(x) FROM t"}})},
        {{{"from", "make"}, {"to", "sum"}}});
    std::filesystem::create_directories(dir / "data");
    std::ofstream(dir / "flow.json") << graph.dump();
    lg::Executor executor{lg::GraphDef::load(dir / "flow.json"), lg::builtin_nodes()};
    CHECK(executor.run().context().get<int>("sum") == 42);
    CHECK(std::filesystem::exists(dir / "data" / "made.db"));
  }

  TEST_CASE(":memory: is the node's own database, a shared memory URI is one database by name") {
    const Json graph =
        graph_of({sqlite(":memory:", "CREATE TABLE t (x)", {{"id", "a"}, {"mode", "exec"}}),
                  sqlite(":memory:", "SELECT count(*) FROM t", {{"id", "b"}, {"mode", "value"}})},
                 {{{"from", "a"}, {"to", "b"}}});
    lg::Executor separate{lg::GraphDef::from_json(graph), lg::builtin_nodes()};
    CHECK(std::string(lg::test::failure(separate).what()) ==
          "node 'b' failed: query: no such table: t");

    // The node's own database lives as long as the node: a second run sees the first's rows.
    const Json counter = graph_of({sqlite(":memory:",
                                          "CREATE TABLE IF NOT EXISTS runs (x); "
                                          "INSERT INTO runs VALUES (1);",
                                          {{"id", "count"}, {"mode", "exec"}})});
    lg::Executor counting{lg::GraphDef::from_json(counter), lg::builtin_nodes()};
    counting.run();
    CHECK(counting.run().context().get<Json>("count") ==
          Json{{"changes", 1}, {"last_insert_id", 2}});

    const std::string shared = "file:lg_test_shared_memory?mode=memory&cache=shared";
    Json both = graph;
    both["nodes"][0]["database"] = shared;
    both["nodes"][1]["database"] = shared;
    lg::Executor one{lg::GraphDef::from_json(both), lg::builtin_nodes()};
    CHECK(one.run().context().get<int>("b") == 0);
  }

  TEST_CASE("SQL errors fail the node with SQLite's message and the place in the query") {
    const lg::test::TempDir dir;
    const std::string db = (dir / "e.db").string();
    result_of(sqlite(db, schema, {{"mode", "exec"}}));
    CHECK(failure_of(sqlite(db, "SELECT id\n  FROM itemz")) ==
          "node 'n' failed: query: no such table: itemz");
    CHECK(failure_of(sqlite(db, "SELECT id,\n  FROM items")) ==
          "node 'n' failed: query: near \"FROM\": syntax error (at line 2, column 3)");
    CHECK(failure_of(sqlite(db, "SELEC 1")) ==
          "node 'n' failed: query: near \"SELEC\": syntax error (at line 1, column 1)");
    CHECK(failure_of(sqlite(db, "CREATE TABLE z (a); SELEC 2;", {{"mode", "exec"}})) ==
          "node 'n' failed: query: near \"SELEC\": syntax error (at line 1, column 21)");
    CHECK(failure_of(sqlite(db, "INSERT INTO items (name) VALUES ('pen')", {{"mode", "exec"}})) ==
          "node 'n' failed: query: UNIQUE constraint failed: items.name");
    CHECK(failure_of(sqlite(db, "SELECT 1; SELECT 2")) ==
          "node 'n' failed: query: holds several statements, which only mode 'exec' without "
          "params runs");
    CHECK(failure_of(sqlite(db, "SELECT a.id, b.id FROM items a, items b")) ==
          "node 'n' failed: query: the result has two columns named 'id' (column 2); name one "
          "with AS");
    CHECK(failure_of(
              sqlite(db, "SELECT * FROM items WHERE id = ?1 OR id = ?2", {{"params", {"1"}}})) ==
          "node 'n' failed: params: the query takes 2 parameter(s), params gives 1");
    CHECK(failure_of(sqlite(db, "SELECT :a + :b", {{"params", {{"a", "1"}}}})) ==
          "node 'n' failed: params: the query's parameter ':b' has no value");
    CHECK(failure_of(sqlite(db, "SELECT ?", {{"params", {{"a", "1"}}}})) ==
          "node 'n' failed: params: parameter 1 of the query has no name (?), but params is an "
          "object");
    CHECK(failure_of(sqlite(db, "SELECT * FROM items", {{"max_rows", 1}})) ==
          "node 'n' failed: query: gives more than max_rows (1) rows; narrow it, or raise "
          "max_rows");
    CHECK(failure_of(sqlite((dir / "no" / "such" / "dir.db").string(), "SELECT 1")) ==
          "node 'n' failed: database '" + (dir / "no" / "such" / "dir.db").string() +
              "': unable to open database file");
    CHECK(failure_of(sqlite(db, "SELECT ?1", {{"params", {"x"}}}),
                     {{"x", 18446744073709551615ULL}}) ==
          "node 'n' failed: params: params[0] is 18446744073709551615, beyond SQLite's 64-bit "
          "integers");
  }

  TEST_CASE("config errors name the field when the executor is built") {
    CHECK(lg::test::build_error(sqlite("x.db", "SELECT 1", {{"mode", "all"}}))
              .find("field 'mode': must be one of 'rows', 'one', 'value', 'exec', found \"all\"") !=
          std::string::npos);
    CHECK(lg::test::build_error(sqlite("x.db", "SELECT 1", {{"params", "id"}}))
              .find("field 'params': must be an array of expressions") != std::string::npos);
    CHECK(lg::test::build_error(sqlite("x.db", "SELECT 1", {{"params", {"1 +"}}}))
              .find("field 'params[0]'") != std::string::npos);
    CHECK(lg::test::build_error(sqlite("x.db", "SELECT 1", {{"pool_size", 0}}))
              .find("field 'pool_size': must be from 1 to 64, found 0") != std::string::npos);
    CHECK(lg::test::build_error(sqlite("", "SELECT 1")).find("field 'database'") !=
          std::string::npos);
    CHECK(lg::test::build_error(typed("sqlite", {{"database", "x.db"}})).find("field 'query'") !=
          std::string::npos);
    CHECK(lg::test::build_error(sqlite("x.db", "SELECT 1", {{"sql", "x"}})).find("field 'sql'") !=
          std::string::npos);
  }

  TEST_CASE("a query waiting on a lock holds no worker: other executions run meanwhile") {
    const lg::test::TempDir dir;
    const std::filesystem::path file = dir / "locked.db";
    Direct direct(file);
    direct.exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    direct.exec("BEGIN EXCLUSIVE");  // every other connection's write now waits for the commit

    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 1});
    lg::set_sqlite_threads(*runtime, 2);
    lg::Executor writer{one_node_graph(sqlite(file.string(), "INSERT INTO t VALUES (2)",
                                              {{"mode", "exec"}, {"busy_timeout_ms", 600'000}})),
                        lg::builtin_nodes(),
                        {.runtime = runtime}};
    lg::Executor other{one_node_graph(typed("rule", {{"condition", "x > 1"}})),
                       lg::builtin_nodes(),
                       {.runtime = runtime}};
    std::vector<std::future<lg::ExecutionResult>> writes;
    for (int i = 0; i < 2; ++i) {
      writes.push_back(writer.async_execute(nullptr, boost::asio::use_future));
    }
    // The one worker thread serves 100 other executions while both writes wait.
    for (int i = 0; i < 100; ++i) {
      CHECK(other.run({{"x", i}}).context().get<bool>("n") == (i > 1));
    }
    for (auto& write : writes) {
      CHECK(write.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
    }
    direct.exec("COMMIT");
    for (auto& write : writes) {
      CHECK(write.get().context().get<Json>("n").value_or(Json())["changes"] == 1);
    }
    CHECK(lg::test::run_graph(one_node_graph(
              sqlite(file.string(), "SELECT count(*) FROM t", {{"mode", "value"}})))["n"] == 3);
  }

  TEST_CASE("a running query is interrupted by a timeout, a deadline and a stop") {
    // Counts without end: only sqlite3_interrupt ends it.
    const Json endless = sqlite(":memory:",
                                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                                "SELECT count(*) FROM c",
                                {{"mode", "value"}});
    Json limited = endless;
    limited["timeout_ms"] = 30;
    lg::Executor timed{one_node_graph(limited), lg::builtin_nodes(), {.threads = 2}};
    const lg::ExecutionError error = lg::test::failure(timed);
    CHECK(std::string(error.what()) == "node 'n' failed: timed out after 30 ms");

    lg::Executor executor{one_node_graph(endless), lg::builtin_nodes(), {.threads = 2}};
    try {
      executor.run(nullptr, {.deadline = std::chrono::milliseconds(30)});
      FAIL("the endless query ended");
    } catch (const lg::ExecutionError& e) {
      CHECK(e.kind() == lg::ExecutionError::Kind::deadline);
    }
    // The node's connection is usable after an interrupt.
    Json quick = endless;
    quick["query"] = "SELECT 7";
    CHECK(result_of(quick) == 7);
  }

  TEST_CASE("many executions at once on a pool of connections: every write lands once") {
    const lg::test::TempDir dir;
    const std::string db = (dir / "many.db").string();
    result_of(sqlite(db, "CREATE TABLE hits (who INTEGER, n INTEGER)", {{"mode", "exec"}}));
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    const Json graph =
        graph_of({sqlite(db, "INSERT INTO hits VALUES (?1, ?2)",
                         {{"id", "insert"}, {"mode", "exec"}, {"params", {"who", "n"}}}),
                  sqlite(db, "SELECT count(*) FROM hits WHERE who = ?1",
                         {{"id", "mine"}, {"mode", "value"}, {"params", {"who"}}})},
                 {{{"from", "insert"}, {"to", "mine"}}});
    lg::Executor executor{
        lg::GraphDef::from_json(graph), lg::builtin_nodes(), {.runtime = runtime}};
    std::vector<std::future<lg::ExecutionResult>> runs;
    for (int i = 0; i < 200; ++i) {
      runs.push_back(executor.async_execute({{"who", i % 4}, {"n", i}}, boost::asio::use_future));
    }
    std::atomic<int> seen = 0;
    for (auto& run : runs) {
      const int mine = run.get().context().get<int>("mine").value_or(0);
      CHECK(mine >= 1);
      seen += 1;
    }
    CHECK(seen == 200);
    CHECK(lg::test::run_graph(one_node_graph(sqlite(
              db, "SELECT count(*) || ',' || sum(n) FROM hits", {{"mode", "value"}})))["n"] ==
          "200,19900");
  }

  TEST_CASE("the SQLite thread count is set once per runtime") {
    lg::Runtime runtime{lg::RuntimeOptions{.threads = 1}};
    CHECK_THROWS_AS(lg::set_sqlite_threads(runtime, 0), std::invalid_argument);
    lg::set_sqlite_threads(runtime, 3);
    lg::set_sqlite_threads(runtime, 3);
    CHECK_THROWS_WITH_AS(lg::set_sqlite_threads(runtime, 2),
                         "set_sqlite_threads: this runtime's 3 SQLite threads already run (set "
                         "the count before the first sqlite node is built)",
                         std::logic_error);
  }
}
