#include "io/postgres/pg_socket.hpp"

#include <doctest/doctest.h>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

namespace {

using WaitType = lg::detail::PgSocket::WaitType;

// A pair of connected sockets, closed at the end.
struct SocketPair {
  int ends[2] = {-1, -1};
  SocketPair() { REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends) == 0); }
  ~SocketPair() {
    ::close(ends[0]);
    ::close(ends[1]);
  }
};

// An io_context run by a thread of its own while the object lives.
struct Running {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread{[this] { io.run(); }};
  ~Running() {
    work.reset();
    thread.join();
  }
};

// Waits for `ready` without hanging the suite when it never comes (the bound is a safety net,
// not a timing: a wait that works ends at once).
bool ends(std::future<void>& ready) {
  return ready.wait_for(std::chrono::minutes(1)) == std::future_status::ready;
}

}  // namespace

TEST_SUITE("postgres node") {
  TEST_CASE("a socket wait ends at once when the socket is ready already, wait after wait") {
    const SocketPair pair;
    Running running;
    lg::detail::PgSocket socket(running.io.get_executor());
    socket.watch(pair.ends[0]);
    REQUIRE(::write(pair.ends[1], "x", 1) == 1);
    // Nobody reads the byte: the reactor saw it arrive once, and every wait must still see it.
    for (int i = 0; i < 3; ++i) {
      std::future<void> ready = socket.async_ready(WaitType::wait_read, boost::asio::use_future);
      REQUIRE(ends(ready));
      CHECK_NOTHROW(ready.get());
    }
    std::future<void> writable = socket.async_ready(WaitType::wait_write, boost::asio::use_future);
    REQUIRE(ends(writable));
    CHECK_NOTHROW(writable.get());
  }

  TEST_CASE("a socket wait ends with operation_aborted when cancelled") {
    const SocketPair pair;
    Running running;
    lg::detail::PgSocket socket(running.io.get_executor());
    socket.watch(pair.ends[0]);
    boost::asio::cancellation_signal stop;
    std::future<void> ready = socket.async_ready(
        WaitType::wait_read,
        boost::asio::bind_cancellation_slot(stop.slot(), boost::asio::use_future));
    // Emitted on the io_context's thread, as a cancellation must come from the waiter's side.
    boost::asio::post(running.io, [&] { stop.emit(boost::asio::cancellation_type::terminal); });
    REQUIRE(ends(ready));
    CHECK_THROWS_AS(ready.get(), boost::system::system_error);
  }

  TEST_CASE("the socket watched is a duplicate: forgetting it leaves libpq's socket open") {
    const SocketPair pair;
    Running running;
    {
      lg::detail::PgSocket socket(running.io.get_executor());
      socket.watch(pair.ends[0]);
      socket.forget();
      socket.watch(pair.ends[0]);
    }
    REQUIRE(::write(pair.ends[1], "y", 1) == 1);
    char byte = 0;
    CHECK(::read(pair.ends[0], &byte, 1) == 1);
    CHECK(byte == 'y');
  }
}
