// The `sqlite` node beside SQLite's C API on the same point query: a SELECT by primary key of
// one row of three columns from a table of 10,000 rows in a WAL file database.
//   Direct      the prepared statement called directly: bind, step, read the columns, reset
//   DirectJson  the same, the row made into a JSON object (what the node gives)
//   Node        a graph of the one `sqlite` node (mode one), one execution at a time
//   Node64      the same with 64 executions in flight
// The runtime has 2 threads and the default 4 SQLite threads. items_per_second counts queries:
// 1e9 / it is ns per query.

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include "completion_count.hpp"

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace {

constexpr int rows = 10'000;
constexpr const char* point_query = "SELECT id, name, price FROM items WHERE id = ?1";

// The database file, made once per process and removed at exit.
struct Database {
  std::filesystem::path file =
      std::filesystem::temp_directory_path() / fmt::format("lg_bench_sqlite_{}.db", ::getpid());
  Database() {
    std::filesystem::remove(file);
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    exec(db,
         "PRAGMA journal_mode=WAL; CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, "
         "price REAL); BEGIN;");
    for (int i = 1; i <= rows; ++i) {
      exec(db, fmt::format("INSERT INTO items VALUES ({}, 'item {}', {}.25)", i, i, i % 100));
    }
    exec(db, "COMMIT;");
    sqlite3_close(db);
  }
  ~Database() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(file.string() + suffix);
    }
  }
  static void exec(sqlite3* db, const std::string& sql) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db));
    }
  }
};

const Database& database() {
  static const Database made;
  return made;
}

// The next key: every row in turn, so that no single page stays hot.
int next_id(std::uint64_t& counter) {
  return static_cast<int>(counter++ * 7919 % rows) + 1;
}

template <bool as_json>
void direct(benchmark::State& state) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(database().file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                  nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v3(db, point_query, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    sqlite3_bind_int64(statement, 1, next_id(counter));
    if (sqlite3_step(statement) != SQLITE_ROW) {
      state.SkipWithError("no row");
      break;
    }
    if constexpr (as_json) {
      nlohmann::json row = nlohmann::json::object();
      row.emplace("id", sqlite3_column_int64(statement, 0));
      row.emplace("name",
                  std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 1)),
                              static_cast<std::size_t>(sqlite3_column_bytes(statement, 1))));
      row.emplace("price", sqlite3_column_double(statement, 2));
      benchmark::DoNotOptimize(row);
    } else {
      benchmark::DoNotOptimize(sqlite3_column_int64(statement, 0));
      benchmark::DoNotOptimize(sqlite3_column_text(statement, 1));
      benchmark::DoNotOptimize(sqlite3_column_double(statement, 2));
    }
    sqlite3_reset(statement);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  state.SetItemsProcessed(state.iterations());
}

void BM_Direct(benchmark::State& state) {
  direct<false>(state);
}
void BM_DirectJson(benchmark::State& state) {
  direct<true>(state);
}

lg::Executor node_executor() {
  const nlohmann::json graph = {{"nodes",
                                 {{{"id", "row"},
                                   {"type", "sqlite"},
                                   {"database", database().file.string()},
                                   {"mode", "one"},
                                   {"query", point_query},
                                   {"params", {"id"}}}}}};
  return lg::Executor{lg::GraphDef::from_json(graph), lg::builtin_nodes(), {.threads = 2}};
}

void BM_Node(benchmark::State& state) {
  lg::Executor executor = node_executor();
  std::uint64_t counter = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(executor.run({{"id", next_id(counter)}}));
  }
  state.SetItemsProcessed(state.iterations());
}

using Done = lg::bench::CompletionCount;

void BM_Node64(benchmark::State& state) {
  constexpr int in_flight = 64;
  lg::Executor executor = node_executor();
  Done done;
  std::uint64_t target = 0;
  std::uint64_t counter = 0;
  bool failed = false;
  const auto batch = [&] {
    for (int i = 0; i < in_flight; ++i) {
      executor.async_execute({{"id", next_id(counter)}},
                             [&](std::exception_ptr error, const lg::ExecutionResult&) {
                               failed = failed || error != nullptr;
                               done.signal();
                             });
    }
    done.wait_for(target += in_flight);
  };
  batch();  // opens the connections and prepares their statements
  for (auto _ : state) {
    batch();
  }
  if (failed) {
    state.SkipWithError("a query failed");
  }
  state.SetItemsProcessed(state.iterations() * in_flight);
}

}  // namespace

BENCHMARK(BM_Direct)->UseRealTime();
BENCHMARK(BM_DirectJson)->UseRealTime();
BENCHMARK(BM_Node)->UseRealTime();
BENCHMARK(BM_Node64)->UseRealTime();
