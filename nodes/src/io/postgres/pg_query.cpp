#include "io/postgres/pg_query.hpp"

#include "io/postgres/pg_connection.hpp"
#include "io/postgres/pg_pool.hpp"

#include <fmt/format.h>
#include <boost/asio/this_coro.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <optional>

namespace lg::detail {
namespace {

namespace asio = boost::asio;
using Json = nlohmann::json;

// Whether the query may have reached the server: a run is tried again only when it cannot.
struct Progress {
  bool sent = false;
};

std::string text_of(const Json& value, std::size_t index) {
  switch (value.type()) {
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case Json::value_t::number_float: {
      const double number = value.get<double>();
      if (std::isnan(number)) {
        return "NaN";
      }
      if (std::isinf(number)) {
        return number > 0 ? "Infinity" : "-Infinity";
      }
      return value.dump();  // the shortest text that reads back as the same double
    }
    case Json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.find('\0') != std::string::npos) {
        throw PgError(fmt::format(
            "params[{}]: the string holds a NUL character, which PostgreSQL's text cannot", index));
      }
      return text;
    }
    default:  // arrays and objects, as JSON text (for json, jsonb and their functions)
      return value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

std::int64_t changes_of(PGresult* result) {
  const std::string_view tuples = PQcmdTuples(result);  // "" for commands that count nothing
  std::int64_t changes = 0;
  std::from_chars(tuples.data(), tuples.data() + tuples.size(), changes);
  return changes;
}

// A failed result: the server's error, or libpq's when the connection was lost.
PgError error_of(const PgConnection& connection, const PGresult* result, std::string_view sql) {
  const bool from_server = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) != nullptr;
  return !from_server && PQstatus(connection.handle()) == CONNECTION_BAD ? connection.error()
                                                                         : query_error(result, sql);
}

bool is_copy(ExecStatusType status) {
  return status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH;
}

PgError copy_refused() {
  return PgError("query: COPY is not supported by the postgres node");
}

// Reads the results of a command sent: all of them, the first error kept.
asio::awaitable<std::optional<PgError>> read_to_end(PgConnection& connection,
                                                    std::string_view sql) {
  std::optional<PgError> failed;
  while (PgResult result = co_await connection.next_result()) {
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK && !failed) {
      failed = error_of(connection, result.get(), sql);
    }
  }
  co_return failed;
}

// The statement for `sql` on `connection`, prepared on first use: Parse, then Describe for
// how many parameters it takes and the columns it gives.
asio::awaitable<const PgStatement*> prepare(PgConnection& connection, const std::string& sql) {
  if (const PgStatement* known = connection.statement(sql)) {
    co_return known;
  }
  PGconn* const conn = connection.handle();
  PgStatement statement;
  statement.name = co_await connection.name_statement();
  if (PQsendPrepare(conn, statement.name.c_str(), sql.c_str(), 0, nullptr) == 0) {
    throw connection.error();
  }
  co_await connection.flush();
  if (std::optional<PgError> failed = co_await read_to_end(connection, sql)) {
    throw *failed;
  }
  if (PQsendDescribePrepared(conn, statement.name.c_str()) == 0) {
    throw connection.error();
  }
  co_await connection.flush();
  std::optional<PgError> failed;
  while (PgResult result = co_await connection.next_result()) {
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      if (!failed) {
        failed = error_of(connection, result.get(), sql);
      }
      continue;
    }
    statement.params = static_cast<std::size_t>(PQnparams(result.get()));
    statement.columns = columns_of(result.get());
  }
  if (failed) {
    throw *failed;
  }
  for (std::size_t i = 1; i < statement.columns.size() && !statement.repeated; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (statement.columns[i].name == statement.columns[j].name) {
        statement.repeated = i;
        break;
      }
    }
  }
  co_return &connection.keep(sql, std::move(statement));
}

// An `exec` query without parameters, on the simple protocol: it may hold several statements
// (a script); the changes are their sum.
asio::awaitable<Json> execute_script(PgConnection& connection, const std::string& sql,
                                     Progress& progress) {
  if (PQsendQuery(connection.handle(), sql.c_str()) == 0) {
    throw connection.error();
  }
  progress.sent = true;
  PQsetSingleRowMode(connection.handle());  // rows are not kept: they need not arrive at once
  co_await connection.flush();
  std::int64_t changes = 0;
  std::optional<PgError> failed;
  while (PgResult result = co_await connection.next_result()) {
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      changes += changes_of(result.get());
    } else if (is_copy(status)) {
      throw copy_refused();
    } else if (status != PGRES_SINGLE_TUPLE && !failed) {
      failed = error_of(connection, result.get(), sql);
    }
  }
  if (failed) {
    throw *failed;
  }
  co_return Json{{"changes", changes}};
}

asio::awaitable<Json> execute(PgConnection& connection, const PgQuery& query,
                              const PgParams& params, Progress& progress) {
  if (query.mode == SqlMode::exec && params.size() == 0) {
    co_return co_await execute_script(connection, query.sql, progress);
  }
  PGconn* const conn = connection.handle();
  for (int attempt = 0;; ++attempt) {
    // The hot path awaits only the server: no coroutine for what is there already.
    const PgStatement* known = connection.statement(query.sql);
    if (known == nullptr) {
      known = co_await prepare(connection, query.sql);
    }
    const PgStatement& statement = *known;
    if (statement.params != params.size()) {
      throw PgError(fmt::format("params: the query takes {} parameter(s), params gives {}",
                                statement.params, params.size()));
    }
    if (statement.repeated && (query.mode == SqlMode::rows || query.mode == SqlMode::one)) {
      // Two columns of one name would become one key of the row's object: a value lost.
      throw PgError(
          fmt::format("query: the result has two columns named '{}' (column {}); name one with AS",
                      statement.columns[*statement.repeated].name, *statement.repeated + 1));
    }
    if (PQsendQueryPrepared(conn, statement.name.c_str(), static_cast<int>(params.size()),
                            params.values(), nullptr, nullptr, 0) == 0) {
      throw connection.error();
    }
    progress.sent = true;
    // Rows one at a time: max_rows holds without the whole result in memory.
    PQsetSingleRowMode(conn);
    if (const int left = PQflush(conn); left != 0) {
      if (left < 0) {
        throw connection.error();
      }
      co_await connection.flush();
    }
    Json result = query.mode == SqlMode::rows ? Json::array() : Json();
    bool first = true;
    std::int64_t changes = 0;
    std::optional<PgError> failed;
    bool statement_missing = false;
    for (;;) {
      // (Not a conditional expression: GCC 12 miscompiles a co_await inside one.)
      PgResult row;
      if (connection.result_ready()) {
        row = connection.take_result();
      } else {
        row = co_await connection.next_result();
      }
      if (!row) {
        break;
      }
      const ExecStatusType status = PQresultStatus(row.get());
      if (status == PGRES_SINGLE_TUPLE) {
        if (query.mode == SqlMode::rows) {
          if (result.size() >= query.max_rows) {
            throw PgError(fmt::format(
                "query: gives more than max_rows ({}) rows; narrow it, or raise max_rows",
                query.max_rows));
          }
          result.push_back(row_of(row.get(), 0, statement.columns));
        } else if (first && query.mode == SqlMode::one) {
          result = row_of(row.get(), 0, statement.columns);
        } else if (first && query.mode == SqlMode::value) {
          result = value_of(row.get(), 0, 0, statement.columns);
        }
        first = false;
      } else if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        changes = changes_of(row.get());
      } else if (is_copy(status)) {
        throw copy_refused();
      } else if (!failed) {
        failed = error_of(connection, row.get(), query.sql);
        const char* state = PQresultErrorField(row.get(), PG_DIAG_SQLSTATE);
        statement_missing = state != nullptr && std::strcmp(state, "26000") == 0;
      }
    }
    if (statement_missing && attempt == 0) {
      // Someone ran DEALLOCATE on this connection; the Bind failed, nothing ran: prepare again.
      connection.forget(query.sql);
      continue;
    }
    if (failed) {
      throw *failed;
    }
    if (query.mode == SqlMode::exec) {
      co_return Json{{"changes", changes}};
    }
    co_return result;
  }
}

}  // namespace

PgParams::PgParams(const std::vector<Json>& values) {
  texts_.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    texts_.push_back(values[i].is_null() ? std::string() : text_of(values[i], i));
  }
  values_.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    values_.push_back(values[i].is_null() ? nullptr : texts_[i].c_str());
  }
}

asio::awaitable<Json> run_query(PgPool& pool, const PgQuery& query, const PgParams& params) {
  for (int attempt = 0;; ++attempt) {
    PgPool::Lease lease = co_await pool.acquire();
    Progress progress;
    std::exception_ptr failure;
    try {
      Json result = co_await execute(*lease, query, params, progress);
      if (!lease->idle()) {
        // The connection is closed below: the server rolls the transaction back.
        throw PgError(
            "query: leaves a transaction open (BEGIN without COMMIT or ROLLBACK); each run of "
            "the node must end its transactions, so this one was rolled back");
      }
      lease.give_back();
      co_return result;
    } catch (...) {
      failure = std::current_exception();
    }
    PGconn* const conn = lease->handle();
    if (attempt == 0 && !progress.sent && lease.reused() && PQstatus(conn) == CONNECTION_BAD) {
      continue;  // it broke while idle in the pool, and nothing ran: once more, on a new one
    }
    if (PQtransactionStatus(conn) == PQTRANS_ACTIVE) {
      // The query is still running (the run was cancelled, or its result refused). A
      // cancellation has cancelled this coroutine's waits: these must run all the same.
      co_await asio::this_coro::throw_if_cancelled(false);
      const bool idle = co_await lease->abandon(pool.cancel_threads());
      co_await asio::this_coro::throw_if_cancelled(true);
      if (idle) {
        lease.give_back();
      }
    } else if (lease->idle()) {
      lease.give_back();  // a refused query or its parameters: the connection is fine
    }
    std::rethrow_exception(failure);
  }
}

}  // namespace lg::detail
