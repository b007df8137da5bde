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
  TEST_CASE("modes: rows as objects, one row, one value, what exec changed") {
    const PgDirect db;
    db.exec(
        "DROP TABLE IF EXISTS lg_modes; CREATE TABLE lg_modes (id int PRIMARY KEY, name text "
        "NOT NULL UNIQUE, price numeric(10, 2), note text); INSERT INTO lg_modes VALUES "
        "(1, 'pen', 1.5, NULL), (2, 'ink', 7.25, 'blue')");
    CHECK(result_of(postgres("SELECT * FROM lg_modes ORDER BY id")) == Json::parse(R"([
      {"id": 1, "name": "pen", "price": 1.5, "note": null},
      {"id": 2, "name": "ink", "price": 7.25, "note": "blue"}])"));
    CHECK(result_of(postgres("SELECT name FROM lg_modes WHERE id = $1",
                             {{"mode", "one"}, {"params", {"id"}}}),
                    {{"id", 2}}) == Json{{"name", "ink"}});
    CHECK(result_of(postgres("SELECT name FROM lg_modes WHERE id = 9", {{"mode", "one"}})) ==
          nullptr);
    CHECK(result_of(postgres("SELECT sum(price) FROM lg_modes", {{"mode", "value"}})) == 8.75);
    CHECK(result_of(postgres("SELECT id FROM lg_modes WHERE id > 5", {{"mode", "value"}})) ==
          nullptr);
    CHECK(result_of(postgres("SELECT * FROM lg_modes WHERE id > 5")) == Json::array());
    CHECK(result_of(postgres("INSERT INTO lg_modes VALUES ($1, $2, $3, $4)",
                             {{"mode", "exec"}, {"params", {"3", "'nib'", "0.5", "null"}}})) ==
          Json{{"changes", 1}});
    CHECK(result_of(postgres("UPDATE lg_modes SET price = price + $1",
                             {{"mode", "exec"}, {"params", {"1"}}})) == Json{{"changes", 3}});
    // Without params, exec runs a script: the changes of all its statements.
    CHECK(result_of(postgres("DELETE FROM lg_modes WHERE id = 3; UPDATE lg_modes SET note = 'x'; "
                             "CREATE TABLE IF NOT EXISTS lg_modes_more (x int)",
                             {{"mode", "exec"}})) == Json{{"changes", 3}});
    CHECK(result_of(postgres("SELECT id FROM lg_modes", {{"mode", "exec"}})) ==
          Json{{"changes", 2}});
  }

  TEST_CASE("types map to JSON by their OID") {
    const Json row = result_of(postgres(
        "SELECT 1::int2 AS i2, 2::int4 AS i4, 9007199254740993::int8 AS i8, 1.5::float4 AS f4, "
        "0.1::float8 AS f8, 'NaN'::float8 AS nan, '-Infinity'::float8 AS minf, true AS yes, "
        "'x'::text AS t, 'y'::varchar(4) AS v, 'z'::char(3) AS c, 'n'::name AS nm, "
        "'{\"a\": [1, 2.5, null]}'::json AS j, '{\"b\": {\"c\": true}}'::jsonb AS jb, "
        "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, '\\x00ff10'::bytea AS b, "
        "''::bytea AS empty_b, NULL::int AS nothing, '10.0.0.1'::inet AS other",
        {{"mode", "one"}}));
    CHECK(row == Json::parse(R"({"i2": 1, "i4": 2, "i8": 9007199254740993, "f4": 1.5, "f8": 0.1,
      "nan": "NaN", "minf": "-Infinity", "yes": true, "t": "x", "v": "y", "c": "z  ", "nm": "n",
      "j": {"a": [1, 2.5, null]}, "jb": {"b": {"c": true}},
      "u": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "b": "AP8Q", "empty_b": "", "nothing": null,
      "other": "10.0.0.1"})"));
    CHECK(row["i8"].get<std::int64_t>() == 9007199254740993LL);

    // numeric: an integer when whole and within 64 bits, a number up to 15 significant digits,
    // else text with every digit.
    CHECK(result_of(postgres(
              "SELECT 10::numeric AS whole, 12.50::numeric AS short, 0.000123::numeric AS small, "
              "-9223372036854775808::numeric AS min, 123456789012345.6::numeric AS long, "
              "99999999999999999999::numeric AS huge, 'NaN'::numeric AS nan",
              {{"mode", "one"}})) == Json::parse(R"({"whole": 10, "short": 12.5, "small": 0.000123,
            "min": -9223372036854775808, "long": "123456789012345.6",
            "huge": "99999999999999999999", "nan": "NaN"})"));

    // Dates and times as ISO-8601, whatever the server's DateStyle; zones as the session's.
    const std::string india = postgres_url("options=-c%20TimeZone%3DAsia/Kolkata");
    CHECK(result_of(postgres_at(india,
                                "SELECT '2024-01-02 03:04:05.5'::timestamp AS ts, "
                                "'2024-01-02 03:04:05+00'::timestamptz AS tz, "
                                "'2024-01-02'::date AS d, '0044-03-15 BC'::date AS bc, "
                                "'03:04:05'::time AS t, '03:04:05+02'::timetz AS ttz, "
                                "'1 day 2 hours'::interval AS i, 'infinity'::timestamp AS inf",
                                {{"mode", "one"}})) ==
          Json::parse(R"({"ts": "2024-01-02T03:04:05.5", "tz": "2024-01-02T08:34:05+05:30",
            "d": "2024-01-02", "bc": "-0043-03-15", "t": "03:04:05", "ttz": "03:04:05+02:00",
            "i": "P1DT2H", "inf": "infinity"})"));
    CHECK(result_of(postgres_at(postgres_url("options=-c%20TimeZone%3DUTC"),
                                "SELECT '2024-06-01 12:00:00+02'::timestamptz",
                                {{"mode", "value"}})) == "2024-06-01T10:00:00+00:00");

    // Arrays of the types above as JSON arrays, nested ones nested.
    CHECK(
        result_of(postgres(
            "SELECT ARRAY[1, 2, NULL] AS ints, ARRAY['a b', 'c\"d', NULL, 'NULL', ''] AS texts, "
            "ARRAY[[1, 2], [3, 4]] AS grid, '{}'::int[] AS none, '[0:1]={7,8}'::int[] AS shifted, "
            "ARRAY['{\"x\": 1}'::jsonb] AS docs, ARRAY[1.5, 2]::numeric[] AS nums, "
            "ARRAY['2024-01-02'::date] AS dates, ARRAY[true, false] AS flags, "
            "ARRAY['\\x01'::bytea] AS blobs, ARRAY['10.0.0.1'::inet] AS other",
            {{"mode", "one"}})) == Json::parse(R"({"ints": [1, 2, null],
            "texts": ["a b", "c\"d", null, "NULL", ""], "grid": [[1, 2], [3, 4]], "none": [],
            "shifted": [7, 8], "docs": [{"x": 1}], "nums": [1.5, 2], "dates": ["2024-01-02"],
            "flags": [true, false], "blobs": ["AQ=="], "other": "{10.0.0.1}"})"));
  }

  TEST_CASE("params: null, booleans, numbers and strings as text, arrays and objects as JSON") {
    const Json node = postgres(
        "SELECT $1::int + 1 AS a, $2::bool AS b, $3::float8 AS c, $4::text AS d, $5::jsonb AS e, "
        "$6::int IS NULL AS f, $7::jsonb AS g, $8::bigint AS h, $9::numeric AS i",
        {{"mode", "one"},
         {"params", {"41", "flag", "2.5", "'hi'", "obj", "null", "list", "big", "unsigned"}}});
    CHECK(result_of(node, {{"flag", false},
                           {"obj", {{"k", {1, "x"}}}},
                           {"list", {1, 2}},
                           {"big", -9007199254740993LL},
                           {"unsigned", 18446744073709551615ULL}}) ==
          Json::parse(R"({"a": 42, "b": false, "c": 2.5, "d": "hi", "e": {"k": [1, "x"]},
            "f": true, "g": [1, 2], "h": -9007199254740993, "i": "18446744073709551615"})"));
    CHECK(failure_of(postgres("SELECT $1::int + $2::int", {{"params", {"1"}}})) ==
          "node 'n' failed: params: the query takes 2 parameter(s), params gives 1");
    CHECK(failure_of(postgres("SELECT $1::text", {{"params", {"x"}}}),
                     {{"x", std::string("a\0b", 3)}}) ==
          "node 'n' failed: params[0]: the string holds a NUL character, which PostgreSQL's text "
          "cannot");
    CHECK(failure_of(postgres("SELECT $1::int", {{"params", {"'abc'"}}})) ==
          "node 'n' failed: query: invalid input syntax for type integer: \"abc\"");
  }

  TEST_CASE("SQL errors fail the node with the server's message and the place in the query") {
    const PgDirect db;
    db.exec("DROP TABLE IF EXISTS lg_errors; CREATE TABLE lg_errors (id int PRIMARY KEY)");
    CHECK(failure_of(postgres("SELECT name, tier FORM customers")) ==
          "node 'n' failed: query: syntax error at or near \"customers\" (at line 1, column 24)");
    CHECK(failure_of(postgres("SELECT id,\n  FROM lg_errors")) ==
          "node 'n' failed: query: syntax error at or near \"FROM\" (at line 2, column 3)");
    CHECK(failure_of(postgres("SELECT 'ééé', nope\nFROM lg_errors")) ==
          "node 'n' failed: query: column \"nope\" does not exist (at line 1, column 15)");
    CHECK(failure_of(postgres("SELECT * FROM lg_nothing")) ==
          "node 'n' failed: query: relation \"lg_nothing\" does not exist (at line 1, column 15)");
    CHECK(failure_of(postgres("SELECT 1 / (id - id) FROM generate_series(1, 3) AS id")) ==
          "node 'n' failed: query: division by zero");
    CHECK(failure_of(postgres("INSERT INTO lg_errors VALUES (1), (1)", {{"mode", "exec"}})) ==
          "node 'n' failed: query: duplicate key value violates unique constraint "
          "\"lg_errors_pkey\"");
    CHECK(failure_of(postgres("SELECT 1; SELECT 2")) ==
          "node 'n' failed: query: cannot insert multiple commands into a prepared statement");
    CHECK(failure_of(postgres("SELECT 1 AS id, 2 AS id", {{"mode", "one"}})) ==
          "node 'n' failed: query: the result has two columns named 'id' (column 2); name one "
          "with AS");
    CHECK(failure_of(postgres("BEGIN", {{"mode", "exec"}})) ==
          "node 'n' failed: query: leaves a transaction open (BEGIN without COMMIT or ROLLBACK); "
          "each run of the node must end its transactions, so this one was rolled back");
    CHECK(failure_of(postgres("COPY lg_errors FROM STDIN", {{"mode", "exec"}})) ==
          "node 'n' failed: query: COPY is not supported by the postgres node");
  }

  TEST_CASE("connection failures name the place, never the password") {
    const int port = closed_port();
    const std::string refused = failure_of(postgres_at(
        "postgresql://lg_user:s3cret-word@127.0.0.1:" + std::to_string(port) + "/db", "SELECT 1"));
    CHECK(refused.find("node 'n' failed: connection: connection to server at \"127.0.0.1\", port " +
                       std::to_string(port) + " failed: Connection refused") == 0);
    CHECK(refused.find("s3cret-word") == std::string::npos);

    const std::string url = postgres_url();
    const std::string server = url.substr(url.find('@') + 1);  // 127.0.0.1:PORT/lg_test
    const std::string denied =
        failure_of(postgres_at("postgresql://lg_secret:wrong-word@" + server, "SELECT 1"));
    CHECK(denied.find("password authentication failed for user \"lg_secret\"") !=
          std::string::npos);
    CHECK(denied.find("wrong-word") == std::string::npos);

    // A host name is looked up without blocking a thread of the runtime.
    CHECK(result_of(
              postgres_at("postgresql://postgres@localhost:" + server.substr(server.find(':') + 1),
                          "SELECT 5", {{"mode", "value"}})) == 5);
    CHECK(failure_of(postgres_at("host=lg-no-such-host.invalid dbname=x", "SELECT 1"))
              .find("node 'n' failed: connection: could not translate host name "
                    "\"lg-no-such-host.invalid\" to address") == 0);
  }

  TEST_CASE("connection: env:VAR reads the variable when built, else when the node runs") {
    ::setenv("LG_TEST_POSTGRES_ENV", postgres_url().c_str(), 1);
    CHECK(result_of(postgres_at("env:LG_TEST_POSTGRES_ENV", "SELECT 3", {{"mode", "value"}})) == 3);
    ::unsetenv("LG_TEST_POSTGRES_ENV");
    const Json later = postgres_at("env:LG_TEST_POSTGRES_ENV", "SELECT 4", {{"mode", "value"}});
    CHECK(lg::test::build_error(later).empty());  // a graph validates without it
    CHECK(failure_of(later).find("connection: the environment variable LG_TEST_POSTGRES_ENV is "
                                 "not set") != std::string::npos);
    lg::Executor executor{lg::test::one_node_graph(later), lg::builtin_nodes(), {.threads = 2}};
    ::setenv("LG_TEST_POSTGRES_ENV", postgres_url().c_str(), 1);
    CHECK(executor.run(nullptr).to_json()["n"] == 4);  // set after the build, read on the run
    ::unsetenv("LG_TEST_POSTGRES_ENV");
    CHECK(lg::test::build_error(postgres_at("env:", "SELECT 3"))
              .find("field 'connection': 'env:' names no environment variable") !=
          std::string::npos);
  }

  TEST_CASE("config errors name the field when the executor is built") {
    const std::string url = postgres_url();
    const auto error = [&](Json fields) {
      return lg::test::build_error(postgres_at(url, "SELECT 1", std::move(fields)));
    };
    CHECK(error({{"mode", "all"}})
              .find("field 'mode': must be one of 'rows', 'one', 'value', 'exec', found \"all\"") !=
          std::string::npos);
    CHECK(error({{"params", {{"a", "1"}}}})
              .find("field 'params': must be an array of expressions, one for each of $1, $2") !=
          std::string::npos);
    CHECK(error({{"params", {"1 +"}}}).find("field 'params[0]'") != std::string::npos);
    CHECK(error({{"pool_size", 0}}).find("field 'pool_size': must be from 1 to 256, found 0") !=
          std::string::npos);
    CHECK(error({{"max_rows", -1}}).find("field 'max_rows'") != std::string::npos);
    CHECK(error({{"database", "x"}}).find("field 'database'") != std::string::npos);
    CHECK(lg::test::build_error(postgres_at(url, " ; ")).find("field 'query': holds no SQL") !=
          std::string::npos);
    CHECK(lg::test::build_error(typed("postgres", {{"connection", url}})).find("field 'query'") !=
          std::string::npos);
    CHECK(lg::test::build_error(typed("postgres", {{"query", "SELECT 1"}}))
              .find("field 'connection'") != std::string::npos);
    CHECK(lg::test::build_error(postgres_at("", "SELECT 1"))
              .find("field 'connection': must be a connection string") != std::string::npos);
    CHECK(lg::test::build_error(postgres_at("host=x nonsense=1", "SELECT 1"))
              .find("field 'connection': libpq cannot read it: invalid connection option "
                    "\"nonsense\"") != std::string::npos);
    // libpq quotes the whole string in some complaints: the password is masked there.
    const std::string masked =
        lg::test::build_error(postgres_at("postgresql://u:s3cret-word@[::1/db", "SELECT 1"));
    CHECK(masked.find("field 'connection': libpq cannot read it") != std::string::npos);
    CHECK(masked.find("postgresql://u:***@[::1/db") != std::string::npos);
    CHECK(masked.find("s3cret-word") == std::string::npos);
  }
}
