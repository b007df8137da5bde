#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/system_error.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace lg::detail {

/// libpq's socket, watched by Asio's reactor through a duplicate of its own: libpq reads, writes
/// and closes its socket (when it connects to another address, when the connection breaks), and
/// Asio must never touch a socket number that libpq has let go, as another connection may have
/// been given it meanwhile; the duplicate's number stays this object's until it closes it.
class PgSocket {
 public:
  using WaitType = boost::asio::posix::descriptor_base::wait_type;

  explicit PgSocket(const boost::asio::any_io_executor& io) : descriptor_(io) {}
  PgSocket(const PgSocket&) = delete;
  PgSocket& operator=(const PgSocket&) = delete;

  /// Watches the socket `fd` (PQsocket) instead of the one watched so far (libpq may change
  /// sockets while it connects).
  void watch(int fd) {
    forget();
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
      throw boost::system::system_error(errno, boost::system::system_category(),
                                        "duplicating libpq's socket");
    }
    boost::system::error_code error;
    descriptor_.assign(copy, error);
    if (error) {
      ::close(copy);
      throw boost::system::system_error(error, "watching libpq's socket");
    }
  }
  /// Stops watching (closes the duplicate; libpq's socket stays as it is).
  void forget() noexcept {
    boost::system::error_code ignored;
    descriptor_.close(ignored);
  }

  /// Completes `token` (`void(error_code)`) once the socket is ready for `what`, also when it
  /// was ready before the wait began (libpq may leave data in the socket): Asio's epoll reactor
  /// re-arms the descriptor for each wait (EPOLL_CTL_MOD), which reports a readiness that is
  /// there already. A cancellation of the waiter cancels the wait (operation_aborted).
  template <class CompletionToken>
  auto async_ready(WaitType what, CompletionToken&& token) {
    return descriptor_.async_wait(what, std::forward<CompletionToken>(token));
  }

 private:
  boost::asio::posix::stream_descriptor descriptor_;
};

}  // namespace lg::detail
