#pragma once

#include "io/postgres/pg_conninfo.hpp"
#include "io/postgres/pg_error.hpp"
#include "io/postgres/pg_socket.hpp"
#include "io/postgres/pg_values.hpp"

#include <libpq-fe.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lg::detail {

class BlockingPool;

struct ClearResult {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
/// A result of libpq's, cleared when it goes.
using PgResult = std::unique_ptr<PGresult, ClearResult>;

/// A statement prepared on one connection: its name there, how many parameters it takes and
/// the columns it gives.
struct PgStatement {
  std::string name;
  std::size_t params = 0;
  std::vector<PgColumn> columns;
  std::optional<std::size_t> repeated;  // a column whose name an earlier column has
};

/// One connection to the server on libpq's asynchronous API: every wait for the server is an
/// await on the socket through Asio, so no thread waits on it. Used by one run at a time.
class PgConnection {
 public:
  /// Connects to `target` with `params` (connect_params()), the socket watched on `io`.
  /// `target` must outlive the connection. Throws PgError (`connection: ...`).
  static boost::asio::awaitable<std::unique_ptr<PgConnection>> open(
      const PgConnectionString& target, const PgConnectParams& params,
      boost::asio::any_io_executor io);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  [[nodiscard]] PGconn* handle() const noexcept { return conn_; }
  /// For a connection taken from the pool: false when the server closed it (or it broke)
  /// while it was idle. Never waits.
  [[nodiscard]] bool alive_when_idle();
  /// True when it may go back to the pool: connected, no command running, no transaction open.
  [[nodiscard]] bool idle() const noexcept;
  /// The connection's failure as libpq tells it: `connection: ...`, without the password.
  [[nodiscard]] PgError error() const;

  /// Sends what libpq holds for the server, waiting while the socket is full.
  boost::asio::awaitable<void> flush();
  /// The next result of the command in flight, null after its last one.
  boost::asio::awaitable<PgResult> next_result();
  /// True when the next result can be taken without waiting (take_result()).
  [[nodiscard]] bool result_ready() const noexcept { return PQisBusy(conn_) == 0; }
  /// The next result, when result_ready().
  [[nodiscard]] PgResult take_result() const noexcept { return PgResult(PQgetResult(conn_)); }
  /// Runs `sql` (simple protocol, no parameters, no rows) to its end; throws PgError.
  boost::asio::awaitable<void> run(const char* sql);

  /// The statement prepared for `sql` on this connection, or null.
  [[nodiscard]] const PgStatement* statement(const std::string& sql) const;
  /// Keeps `statement`, prepared for `sql`.
  const PgStatement& keep(const std::string& sql, PgStatement statement);
  /// Forgets the statement of `sql` (the server no longer has it).
  void forget(const std::string& sql) { statements_.erase(sql); }
  /// A name for the next statement prepared here (after making room for it).
  boost::asio::awaitable<std::string> name_statement();

  /// Ends the command in flight after its run was abandoned (cancelled, or its result refused):
  /// asks the server to cancel it (PQcancel, which blocks, on one of `cancel_threads`), and
  /// reads what is left of its answer. True when the connection is idle again and the cancel
  /// request is done with (so that it cannot hit a later command), within a few seconds.
  boost::asio::awaitable<bool> abandon(BlockingPool& cancel_threads);

 private:
  PgConnection(const PgConnectionString& target, const boost::asio::any_io_executor& io)
      : target_(&target), socket_(io) {}
  // True when OpenSSL holds data of the connection that libpq has not read yet.
  [[nodiscard]] bool tls_pending() const noexcept;
  // Waits for the socket until `deadline`: true when ready, false when the time is up; throws
  // operation_aborted when the wait is cancelled.
  boost::asio::awaitable<bool> wait_until(PgSocket::WaitType what,
                                          boost::asio::steady_timer& deadline);
  boost::asio::awaitable<bool> drain(boost::asio::steady_timer& deadline);

  // Connections run the statements of every node that names the database: bounded, so that a
  // graph of many queries cannot make the server hold statements without limit.
  static constexpr std::size_t max_statements = 256;

  const PgConnectionString* target_;
  PGconn* conn_ = nullptr;
  PgSocket socket_;
  std::unordered_map<std::string, PgStatement> statements_;
  std::size_t named_ = 0;
};

}  // namespace lg::detail
