#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lg::detail {

/// An SQLite error: SQLite's message, with where in the query it points when it does.
class SqliteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A statement prepared once for a connection and kept: its column names are checked once.
struct PreparedStatement {
  sqlite3_stmt* statement = nullptr;  // nullptr: the query is a script of several statements
  std::vector<std::string> columns;
};

/// One open SQLite connection with its prepared statements. Used by one thread at a time.
class SqliteConnection {
 public:
  /// Opens `database` (a path or an SQLite URI) read-write, creating it; a file database in WAL
  /// mode, waiting up to `busy_ms` for another connection's lock.
  SqliteConnection(const std::string& database, bool file_database, int busy_ms);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
  /// The statement for `sql`, prepared on first use; statement == nullptr when `sql` holds more
  /// than one statement (run those with run_script()).
  const PreparedStatement& prepare(const std::string& sql);
  /// Runs every statement of `sql` in order; the changes of the last one that made any.
  void run_script(std::string_view sql);
  /// An SqliteError with the connection's last message, pointing into `sql` when SQLite
  /// names a place there.
  [[nodiscard]] SqliteError error(std::string_view sql, std::string_view context) const;

 private:
  // Connections run queries from every node of a database: bounded, so that a graph with
  // many queries cannot hold statements without limit.
  static constexpr std::size_t max_statements = 256;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, PreparedStatement> statements_;
};

}  // namespace lg::detail
