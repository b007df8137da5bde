#pragma once

#include "io/sqlite/sqlite_connection.hpp"

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lg::detail {

/// The connections to one database, shared by every node that names it on a runtime: opened on
/// demand up to `max_connections`, then reused. A memory database has one connection, which
/// holds the database for as long as this object lives.
class SqliteDatabase {
 public:
  SqliteDatabase(std::string database, bool file_database, std::size_t max_connections,
                 int busy_ms);
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  struct Release {
    SqliteDatabase* database;
    void operator()(SqliteConnection* connection) const noexcept;
  };
  /// A connection, back to the pool when the lease ends.
  using Lease = std::unique_ptr<SqliteConnection, Release>;

  /// An idle connection, a new one, or (all `max_connections` in use) the first one given back.
  /// Blocks: call it on the blocking pool's threads only.
  [[nodiscard]] Lease acquire();
  /// The path or URI the connections open.
  [[nodiscard]] const std::string& name() const noexcept { return database_; }

 private:
  std::string database_;
  bool file_database_;
  std::size_t max_connections_;
  int busy_ms_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
  std::size_t open_ = 0;
};

}  // namespace lg::detail
