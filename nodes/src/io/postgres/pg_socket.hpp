#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/system_error.hpp>

#include <fcntl.h>
#include <poll.h>
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
  /// was ready before: Asio's reactor reports changes (edge-triggered), and libpq may leave
  /// data in the socket that it has not read yet, so once the wait is registered the socket's
  /// state is checked, and the wait ends at once when it is ready already.
  template <class CompletionToken>
  auto async_ready(WaitType what, CompletionToken&& token) {
    namespace asio = boost::asio;
    return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [this, what](auto handler) {
          found_ready_ = false;
          auto slot = asio::get_associated_cancellation_slot(handler);
          auto executor = asio::get_associated_executor(handler, descriptor_.get_executor());
          descriptor_.async_wait(
              what,
              asio::bind_cancellation_slot(
                  slot, asio::bind_executor(executor, [this, handler = std::move(handler)](
                                                          boost::system::error_code error) mutable {
                    if (error == asio::error::operation_aborted && found_ready_) {
                      error = {};  // ended below: it was ready already
                    }
                    std::move(handler)(error);
                  })));
          if (ready_now(what)) {
            found_ready_ = true;
            boost::system::error_code ignored;
            descriptor_.cancel(ignored);
          }
        },
        token);
  }

 private:
  [[nodiscard]] bool ready_now(WaitType what) noexcept {
    pollfd watched{descriptor_.native_handle(),
                   static_cast<short>(what == WaitType::wait_write ? POLLOUT : POLLIN), 0};
    return ::poll(&watched, 1, 0) > 0 && watched.revents != 0;
  }

  boost::asio::posix::stream_descriptor descriptor_;
  bool found_ready_ = false;  // the wait in progress was ended by its check
};

}  // namespace lg::detail
