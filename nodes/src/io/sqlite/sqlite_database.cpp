#include "io/sqlite/sqlite_database.hpp"

namespace lg::detail {

SqliteDatabase::SqliteDatabase(std::string database, bool file_database,
                               std::size_t max_connections, int busy_ms)
    : database_(std::move(database)),
      file_database_(file_database),
      max_connections_(file_database ? max_connections : 1),
      busy_ms_(busy_ms) {
  idle_.reserve(max_connections_);  // so that giving a connection back never allocates
}

void SqliteDatabase::Release::operator()(SqliteConnection* connection) const noexcept {
  {
    const std::scoped_lock lock(database->mutex_);
    database->idle_.emplace_back(connection);
  }
  database->returned_.notify_one();
}

SqliteDatabase::Lease SqliteDatabase::acquire() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty() || open_ < max_connections_; });
  if (!idle_.empty()) {
    SqliteConnection* connection = idle_.back().release();
    idle_.pop_back();
    return Lease(connection, Release{this});
  }
  ++open_;  // taken before opening, outside the lock: opening a file can take a while
  lock.unlock();
  try {
    return Lease(new SqliteConnection(database_, file_database_, busy_ms_), Release{this});
  } catch (...) {
    lock.lock();
    --open_;
    returned_.notify_one();
    throw;
  }
}

}  // namespace lg::detail
