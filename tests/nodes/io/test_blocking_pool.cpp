#include "io/blocking_pool.hpp"

#include <doctest/doctest.h>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <future>
#include <latch>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using lg::detail::async_blocking;
using lg::detail::BlockingCall;
using lg::detail::BlockingPool;

// An io_context run by two threads until the fixture ends.
struct Home {
  Home() {
    for (int i = 0; i < 2; ++i) {
      runners.emplace_back([this] { io.run(); });
    }
  }
  ~Home() {
    guard.reset();
    for (std::thread& runner : runners) {
      runner.join();
    }
  }
  [[nodiscard]] bool runs_here() const {
    const auto self = std::this_thread::get_id();
    return runners[0].get_id() == self || runners[1].get_id() == self;
  }
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
  std::vector<std::thread> runners;
};

}  // namespace

TEST_CASE("blocking pool: calls run on its threads, each completes once on the waiter's strand") {
  for (const bool batched : {false, true}) {
    CAPTURE(batched);
    Home home;
    std::optional<asio::any_io_executor> back;
    if (batched) {
      back = home.io.get_executor();
    }
    constexpr int calls = 3000;
    std::vector<int> results(calls, -1);
    std::atomic<int> off_home{0};
    std::atomic<int> failures{0};
    std::latch done(calls);
    std::mutex mutex;
    std::set<std::thread::id> worked_on;
    {
      BlockingPool pool(3, back);
      // Submitted from outside and from the home threads at once.
      auto submit = [&](int i) {
        auto strand = asio::make_strand(home.io);
        async_blocking(
            pool, std::make_shared<BlockingCall>(),
            [&, i](BlockingCall&) {
              if (home.runs_here()) {
                off_home.fetch_add(1);  // a call on a runtime thread: the pool's point lost
              }
              const std::scoped_lock lock(mutex);
              worked_on.insert(std::this_thread::get_id());
              return nlohmann::json(i * 2);
            },
            asio::bind_executor(
                strand, [&, i, strand](std::exception_ptr error, const nlohmann::json& value) {
                  if (error || !home.runs_here() || !strand.running_in_this_thread() ||
                      results[i] != -1) {
                    failures.fetch_add(1);
                  }
                  results[i] = value.get<int>();
                  done.count_down();
                }));
      };
      for (int i = 0; i < calls; i += 2) {
        submit(i);
        asio::post(home.io, [&, i] { submit(i + 1); });
      }
      done.wait();
    }
    CHECK(failures.load() == 0);
    CHECK(off_home.load() == 0);
    CHECK(worked_on.size() <= 3);
    for (int i = 0; i < calls; ++i) {
      REQUIRE(results[i] == i * 2);
    }
  }
}

TEST_CASE("blocking pool: a call's exception reaches the waiter, destruction runs what is queued") {
  Home home;
  std::promise<std::string> failed;
  std::atomic<int> ran{0};
  {
    BlockingPool pool(1, home.io.get_executor());
    std::latch hold(1);
    // The first call holds the only thread, so the others are queued when the pool ends.
    pool.submit([&] { hold.wait(); });
    async_blocking(
        pool, std::make_shared<BlockingCall>(),
        [](BlockingCall&) -> nlohmann::json { throw std::runtime_error("no such table: t"); },
        asio::bind_executor(home.io, [&](std::exception_ptr error, const nlohmann::json&) {
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            failed.set_value(e.what());
          }
        }));
    for (int i = 0; i < 10; ++i) {
      pool.submit([&] { ran.fetch_add(1); });
    }
    hold.count_down();
  }
  CHECK(ran.load() == 10);
  CHECK(failed.get_future().get() == "no such table: t");
}

TEST_CASE("blocking pool: a cancelled waiter interrupts the call and completes as aborted") {
  Home home;
  BlockingPool pool(1, home.io.get_executor());
  // The signal is emitted where the waiter completes, as the engine does (on its strand).
  auto strand = asio::make_strand(home.io);
  asio::cancellation_signal cancel;
  std::latch started(1);
  std::promise<void> interrupted;
  std::promise<boost::system::error_code> completed;
  async_blocking(
      pool, std::make_shared<BlockingCall>(),
      [&](BlockingCall& call) {
        std::promise<void> stop;
        auto stopped = stop.get_future();
        const auto armed = call.interruptible([&] { stop.set_value(); });
        started.count_down();
        stopped.wait();  // as sqlite3_interrupt ends a running statement
        interrupted.set_value();
        return nlohmann::json(1);
      },
      asio::bind_cancellation_slot(
          cancel.slot(),
          asio::bind_executor(strand, [&](std::exception_ptr error, const nlohmann::json&) {
            try {
              std::rethrow_exception(error);
            } catch (const boost::system::system_error& e) {
              completed.set_value(e.code());
            }
          })));
  started.wait();
  asio::post(strand, [&] { cancel.emit(asio::cancellation_type::terminal); });
  interrupted.get_future().wait();
  CHECK(completed.get_future().get() == asio::error::operation_aborted);
}
