#include "io/sqlite/sqlite_connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace lg::detail {
namespace {

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0 || c == ';'; });
}

// "line L, column C" of byte `offset` in `text`.
std::string place(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("line {}, column {}", line, column);
}

std::vector<std::string> column_names(sqlite3_stmt* statement) {
  const int count = sqlite3_column_count(statement);
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(count));
  std::set<std::string_view> seen;
  for (int i = 0; i < count; ++i) {
    const char* name = sqlite3_column_name(statement, i);
    names.emplace_back(name != nullptr ? name : "");
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!seen.insert(names[i]).second) {
      // Two columns of one name would become one key of the row's object: one value lost.
      throw SqliteError(
          fmt::format("query: the result has two columns named '{}' (column {}); name one with AS",
                      names[i], i + 1));
    }
  }
  return names;
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& database, bool file_database, int busy_ms) {
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  const int status = sqlite3_open_v2(database.c_str(), &db_, flags, nullptr);
  if (status != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(status);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw SqliteError(fmt::format("database '{}': {}", database, message));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_ms);
  if (file_database) {
    try {
      run_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    } catch (const SqliteError& e) {
      sqlite3_close_v2(db_);
      throw SqliteError(fmt::format("database '{}': {}", database, e.what()));
    }
  }
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, prepared] : statements_) {
    sqlite3_finalize(prepared.statement);
  }
  sqlite3_close_v2(db_);
}

const PreparedStatement& SqliteConnection::prepare(const std::string& sql) {
  if (auto found = statements_.find(sql); found != statements_.end()) {
    return found->second;
  }
  if (statements_.size() >= max_statements) {
    for (auto& [text, prepared] : statements_) {
      sqlite3_finalize(prepared.statement);
    }
    statements_.clear();
  }
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &statement, &tail) != SQLITE_OK) {
    throw error(sql, "query");
  }
  PreparedStatement prepared;
  if (statement == nullptr) {
    throw SqliteError("query: holds no SQL statement");
  }
  if (!blank(std::string_view(tail, sql.c_str() + sql.size() - tail))) {
    sqlite3_finalize(statement);  // a script: its later statements may need the earlier run
  } else {
    prepared.statement = statement;
    try {
      prepared.columns = column_names(statement);
    } catch (...) {
      sqlite3_finalize(statement);
      throw;
    }
  }
  return statements_.emplace(sql, std::move(prepared)).first->second;
}

void SqliteConnection::run_script(std::string_view sql) {
  const char* next = sql.data();
  const char* const end = sql.data() + sql.size();
  while (next < end && !blank(std::string_view(next, static_cast<std::size_t>(end - next)))) {
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &statement, &tail) !=
        SQLITE_OK) {
      // The offset SQLite gives is in the piece it was handed: count it from the query's start.
      const int offset = sqlite3_error_offset(db_);
      std::string where = offset >= 0 ? " (at " +
                                            place(sql, static_cast<std::size_t>(next - sql.data()) +
                                                           static_cast<std::size_t>(offset)) +
                                            ")"
                                      : std::string();
      throw SqliteError(fmt::format("query: {}{}", sqlite3_errmsg(db_), where));
    }
    if (statement == nullptr) {
      break;  // only a comment was left
    }
    int status = SQLITE_ROW;
    while (status == SQLITE_ROW) {
      status = sqlite3_step(statement);
    }
    if (status != SQLITE_DONE) {
      SqliteError failed =
          error({}, fmt::format("query, statement at {}",
                                place(sql, static_cast<std::size_t>(next - sql.data()))));
      sqlite3_finalize(statement);
      throw failed;
    }
    sqlite3_finalize(statement);
    next = tail;
  }
}

SqliteError SqliteConnection::error(std::string_view sql, std::string_view context) const {
  const int offset = sql.empty() ? -1 : sqlite3_error_offset(db_);
  const std::string where =
      offset >= 0 ? " (at " + place(sql, static_cast<std::size_t>(offset)) + ")" : std::string();
  return SqliteError(fmt::format("{}: {}{}", context, sqlite3_errmsg(db_), where));
}

}  // namespace lg::detail
