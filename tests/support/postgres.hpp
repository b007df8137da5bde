#pragma once

// The test server for the postgres node's tests: its connection string comes from
// LG_TEST_POSTGRES (scripts/with_postgres.sh and scripts/test.sh set it), and the tests talk to
// it on connections of their own through libpq's blocking API, on the test's thread.

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <string>

namespace lg::test {

/// The test server's connection string; fails the test case, saying how to run it, without one.
inline std::string postgres_url() {
  const char* url = std::getenv("LG_TEST_POSTGRES");
  if (url == nullptr || *url == '\0') {
    FAIL(
        "LG_TEST_POSTGRES is not set: the postgres node's tests need a PostgreSQL server. Run "
        "them with a throw-away one: scripts/with_postgres.sh build/debug/tests/lg_tests "
        "-ts=\"postgres node\" (scripts/test.sh starts one for the whole run)");
  }
  return url;
}

/// postgres_url() with `parameter` (`name=value`) added to its query part.
inline std::string postgres_url(const std::string& parameter) {
  std::string url = postgres_url();
  return url + (url.find('?') == std::string::npos ? '?' : '&') + parameter;
}

/// A connection of the test's own to the test server.
class PgDirect {
 public:
  PgDirect() : conn_(PQconnectdb(postgres_url().c_str())) {
    REQUIRE_MESSAGE(PQstatus(conn_) == CONNECTION_OK, PQerrorMessage(conn_));
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // not on the test's output
  }
  ~PgDirect() { PQfinish(conn_); }
  PgDirect(const PgDirect&) = delete;
  PgDirect& operator=(const PgDirect&) = delete;

  /// Runs `sql` (statements without rows, or with); fails the test when the server refuses it.
  void exec(const std::string& sql) const { PQclear(run(sql)); }
  /// The first column of the first row of `sql` as text ("" when there is none, or NULL).
  [[nodiscard]] std::string value(const std::string& sql) const {
    PGresult* result = run(sql);
    std::string text =
        PQntuples(result) > 0 && PQnfields(result) > 0 ? PQgetvalue(result, 0, 0) : "";
    PQclear(result);
    return text;
  }
  /// Asks the server `sql` again and again until it gives `expected`: for states of the server
  /// that the test waits on (sessions waiting on a lock), which nothing else tells.
  void wait_until(const std::string& sql, const std::string& expected) const {
    while (value(sql) != expected) {
    }
  }

 private:
  [[nodiscard]] PGresult* run(const std::string& sql) const {
    PGresult* result = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    INFO(sql);
    REQUIRE_MESSAGE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK),
                    PQresultErrorMessage(result));
    return result;
  }

  PGconn* conn_;
};

}  // namespace lg::test
