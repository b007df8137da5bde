#include "io/postgres/pg_connection.hpp"

#include "io/blocking_pool.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <poll.h>

#include <chrono>
#include <new>

namespace lg::detail {
namespace {

namespace asio = boost::asio;
using WaitType = PgSocket::WaitType;

// How long an abandoned command may take to end before its connection is closed instead.
constexpr std::chrono::seconds abandon_limit{5};

// The session settings the readers of values rely on (pg_values.hpp), whatever the server's
// defaults: ISO dates and durations, bytea in hex, floats to the last digit.
constexpr const char* session_settings =
    "SET DateStyle = ISO; SET IntervalStyle = iso_8601; SET bytea_output = hex; "
    "SET extra_float_digits = 3";

// libpq prints the server's notices on stderr by default; the node does not log.
void ignore_notice(void* /*unused*/, const PGresult* /*notice*/) {}

// Told by a cancel thread when PQcancel has returned (the server has acted on the request).
using CancelDone = asio::experimental::concurrent_channel<void(boost::system::error_code)>;

}  // namespace

asio::awaitable<std::unique_ptr<PgConnection>> PgConnection::open(const PgConnectionString& target,
                                                                  const PgConnectParams& params,
                                                                  asio::any_io_executor io) {
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (std::size_t i = 0; i < params.keywords.size(); ++i) {
    keywords.push_back(params.keywords[i].c_str());
    values.push_back(params.values[i].c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  std::unique_ptr<PgConnection> connection(new PgConnection(target, io));
  PGconn* const conn = PQconnectStartParams(keywords.data(), values.data(), 0);
  if (conn == nullptr) {
    throw std::bad_alloc();
  }
  connection->conn_ = conn;
  PQsetNoticeReceiver(conn, ignore_notice, nullptr);
  if (PQstatus(conn) == CONNECTION_BAD) {
    throw connection->error();
  }
  std::optional<asio::steady_timer> deadline;
  if (params.connect_timeout) {
    deadline.emplace(io, *params.connect_timeout);
  }
  // As libpq's manual says: poll as if PQconnectPoll had asked for writing, then as it asks.
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  while (status != PGRES_POLLING_OK) {
    if (status == PGRES_POLLING_FAILED || PQsocket(conn) < 0) {
      throw connection->error();
    }
    connection->socket_.watch(PQsocket(conn));
    const WaitType what =
        status == PGRES_POLLING_READING ? WaitType::wait_read : WaitType::wait_write;
    if (what == WaitType::wait_read && connection->tls_pending()) {
      // Read already: nothing to wait for.
    } else if (deadline) {
      const bool ready = co_await connection->wait_until(what, *deadline);
      if (!ready) {
        throw PgError(fmt::format("connection: not connected within connect_timeout ({} s)",
                                  params.connect_timeout->count()));
      }
    } else {
      co_await connection->socket_.async_ready(what, asio::use_awaitable);
    }
    status = PQconnectPoll(conn);
  }
  if (PQsetnonblocking(conn, 1) != 0) {
    throw connection->error();
  }
  connection->socket_.watch(PQsocket(conn));
  co_await connection->run(session_settings);
  co_return connection;
}

PgConnection::~PgConnection() {
  socket_.forget();  // no wait on it can outlive the connection
  if (conn_ != nullptr) {
    PQfinish(conn_);
  }
}

bool PgConnection::alive_when_idle() {
  // An idle connection hears from the server only when something happened: a notice, or the
  // reason it is closing the connection (then the end of the stream).
  for (int news = 0; news < 16; ++news) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      return false;
    }
    pollfd watched{PQsocket(conn_), POLLIN, 0};
    if (::poll(&watched, 1, 0) <= 0 || watched.revents == 0) {
      return idle();
    }
    if (PQconsumeInput(conn_) == 0) {
      return false;
    }
  }
  return false;
}

bool PgConnection::tls_pending() const noexcept {
  // libpq takes at most its free buffer of a TLS record; the rest waits in OpenSSL, where the
  // socket does not show it.
  const auto* tls = static_cast<const SSL*>(PQsslStruct(conn_, "OpenSSL"));
  return tls != nullptr && SSL_pending(tls) > 0;
}

bool PgConnection::idle() const noexcept {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

PgError PgConnection::error() const {
  std::string message = one_line(PQerrorMessage(conn_));
  if (message.empty()) {
    message = "the connection failed without a message";
  }
  return PgError("connection: " + target_->scrub(std::move(message)));
}

asio::awaitable<void> PgConnection::flush() {
  for (;;) {
    const int left = PQflush(conn_);
    if (left == 0) {
      co_return;
    }
    // The server may be waiting for its answers to be read before it reads more.
    if (left < 0 || PQconsumeInput(conn_) == 0) {
      throw error();
    }
    co_await socket_.async_ready(WaitType::wait_write, asio::use_awaitable);
  }
}

asio::awaitable<PgResult> PgConnection::next_result() {
  while (PQisBusy(conn_) != 0) {
    if (!tls_pending()) {
      co_await socket_.async_ready(WaitType::wait_read, asio::use_awaitable);
    }
    // On a lost connection PQisBusy turns false, and the result tells what happened.
    if (PQconsumeInput(conn_) == 0 && PQstatus(conn_) != CONNECTION_BAD) {
      throw error();
    }
  }
  co_return PgResult(PQgetResult(conn_));
}

asio::awaitable<void> PgConnection::run(const char* sql) {
  if (PQsendQuery(conn_, sql) == 0) {
    throw error();
  }
  co_await flush();
  std::optional<PgError> failed;
  while (PgResult result = co_await next_result()) {
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && !failed) {
      failed = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) == nullptr &&
                       PQstatus(conn_) == CONNECTION_BAD
                   ? error()
                   : query_error(result.get(), sql);
    }
  }
  if (failed) {
    throw *failed;
  }
}

const PgStatement* PgConnection::statement(const std::string& sql) const {
  const auto found = statements_.find(sql);
  return found != statements_.end() ? &found->second : nullptr;
}

const PgStatement& PgConnection::keep(const std::string& sql, PgStatement statement) {
  return statements_.insert_or_assign(sql, std::move(statement)).first->second;
}

asio::awaitable<std::string> PgConnection::name_statement() {
  if (statements_.size() >= max_statements) {
    co_await run("DEALLOCATE ALL");
    statements_.clear();
  }
  co_return fmt::format("lg_{}", ++named_);
}

asio::awaitable<bool> PgConnection::wait_until(WaitType what, asio::steady_timer& deadline) {
  auto [order, ready_error, timer_error] =
      co_await asio::experimental::make_parallel_group(socket_.async_ready(what, asio::deferred),
                                                       deadline.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  if (order[0] == 0 && !ready_error) {
    co_return true;
  }
  if (order[0] == 1 && !timer_error) {
    co_return false;
  }
  throw boost::system::system_error(asio::error::operation_aborted);
}

asio::awaitable<bool> PgConnection::drain(asio::steady_timer& deadline) {
  // The command must reach the server whole before the server can end it.
  // (Awaits as statements of their own: GCC 12 miscompiles some inside conditions.)
  for (int left = PQflush(conn_); left != 0; left = PQflush(conn_)) {
    if (left < 0 || PQconsumeInput(conn_) == 0) {
      co_return false;
    }
    const bool writable = co_await wait_until(WaitType::wait_write, deadline);
    if (!writable) {
      co_return false;
    }
  }
  for (;;) {
    while (PQisBusy(conn_) != 0) {
      if (!tls_pending()) {
        const bool readable = co_await wait_until(WaitType::wait_read, deadline);
        if (!readable) {
          co_return false;
        }
      }
      if (PQconsumeInput(conn_) == 0) {
        co_return false;
      }
    }
    const PgResult result(PQgetResult(conn_));
    if (!result) {
      co_return idle();
    }
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      co_return false;  // a COPY does not end by reading
    }
  }
}

asio::awaitable<bool> PgConnection::abandon(BlockingPool& cancel_threads) {
  if (PQstatus(conn_) != CONNECTION_OK) {
    co_return false;
  }
  const auto executor = co_await asio::this_coro::executor;
  asio::steady_timer deadline(executor, abandon_limit);
  PGcancel* const cancel = PQgetCancel(conn_);
  if (cancel == nullptr) {
    co_return false;
  }
  auto done = std::make_shared<CancelDone>(executor, 1);
  cancel_threads.submit([cancel, done] {
    char ignored[256];
    PQcancel(cancel, ignored, sizeof ignored);  // blocks until the server has acted on it
    PQfreeCancel(cancel);
    done->try_send(boost::system::error_code());
  });
  bool drained = false;
  try {
    drained = co_await drain(deadline);
  } catch (const std::exception&) {
    drained = false;  // cancelled again, or the connection failed: it is closed
  }
  if (!drained) {
    co_return false;
  }
  // A cancel request still on its way would cancel whatever the connection runs next.
  auto [order, done_error, timer_error] =
      co_await asio::experimental::make_parallel_group(done->async_receive(asio::deferred),
                                                       deadline.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  (void)timer_error;
  co_return order[0] == 0 && !done_error && idle();
}

}  // namespace lg::detail
