#pragma once

#include "io/postgres/pg_connection.hpp"
#include "io/postgres/pg_conninfo.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace lg::detail {

class BlockingPool;

/// The connections to one server (one connection string), shared by every `postgres` node of a
/// runtime that names it: made on demand up to `max_connections`, then reused; runs beyond them
/// wait in a queue, holding no thread. A connection found closed by the server when taken is
/// replaced by a new one.
class PgPool : public std::enable_shared_from_this<PgPool> {
 public:
  PgPool(PgConnectionString target, std::size_t max_connections, boost::asio::any_io_executor io,
         std::shared_ptr<BlockingPool> cancel_threads);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  /// A place in the pool and its connection. When it ends the connection is closed and the place
  /// freed, unless give_back() put the connection back: a connection in an unknown state never
  /// goes back to the pool.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();

    [[nodiscard]] PgConnection& operator*() const noexcept { return *connection_; }
    [[nodiscard]] PgConnection* operator->() const noexcept { return connection_.get(); }
    /// True when the connection had served other runs before (rather than made for this one).
    [[nodiscard]] bool reused() const noexcept { return reused_; }
    /// Puts the connection, idle, back in the pool for the next run.
    void give_back() noexcept;

   private:
    friend class PgPool;
    Lease(std::shared_ptr<PgPool> pool, std::unique_ptr<PgConnection> connection, bool reused)
        : pool_(std::move(pool)), connection_(std::move(connection)), reused_(reused) {}
    void end() noexcept;

    std::shared_ptr<PgPool> pool_;  // null: no place held
    std::unique_ptr<PgConnection> connection_;
    bool reused_ = false;
  };

  /// An idle connection, a new one, or the first one given back while all are in use. Throws
  /// PgError when a new connection fails, operation_aborted when the run is cancelled.
  boost::asio::awaitable<Lease> acquire();

  [[nodiscard]] std::size_t max_connections() const noexcept { return max_connections_; }
  /// Where PQcancel runs (it blocks).
  [[nodiscard]] BlockingPool& cancel_threads() const noexcept { return *cancel_threads_; }

 private:
  using TurnHandler = boost::asio::any_completion_handler<void(boost::system::error_code, Lease)>;
  struct Waiter {
    std::uint64_t id;
    boost::asio::any_io_executor executor;  // the waiting run's (its strand)
    TurnHandler handler;
  };

  // An idle connection or a free place; an empty lease when neither. Under the mutex.
  Lease take_locked();
  // Completes with a lease once one is free (at once when one is), on `executor`: the waiting
  // run's own.
  template <class CompletionToken>
  auto async_turn(boost::asio::any_io_executor executor, CompletionToken&& token);
  static void complete(Waiter waiter, boost::system::error_code error, Lease lease);
  void returned(std::unique_ptr<PgConnection> connection) noexcept;
  void freed() noexcept;
  void abandon(std::uint64_t waiter) noexcept;

  PgConnectionString target_;
  std::size_t max_connections_;
  boost::asio::any_io_executor io_;
  std::shared_ptr<BlockingPool> cancel_threads_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::deque<Waiter> waiters_;
  std::size_t places_ = 0;  // connections open or being made
  std::uint64_t next_waiter_ = 0;
};

}  // namespace lg::detail
