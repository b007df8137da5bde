#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace lg::detail {

/// A runtime's own threads: an io_context that `count` threads run.
///
/// An io_context rather than an asio::thread_pool: a strand over its executor fits in
/// any_io_executor's inline storage, so copies of a node coroutine's executor (which Asio makes
/// in noexcept code for every operation a node starts) never allocate, and cannot fail when
/// memory runs out. A handler that throws is logged and its thread runs on.
class OwnThreads {
 public:
  explicit OwnThreads(std::size_t count);
  /// Stops and joins the threads; pending handlers are destroyed with the io_context. On one of
  /// its own threads, a thread of its own does the joining once this one returns.
  ~OwnThreads();
  OwnThreads(const OwnThreads&) = delete;
  OwnThreads& operator=(const OwnThreads&) = delete;

  [[nodiscard]] boost::asio::io_context::executor_type get_executor() const noexcept {
    return io_->get_executor();
  }
  [[nodiscard]] bool running_in_this_thread() const noexcept {
    return io_->get_executor().running_in_this_thread();
  }

 private:
  struct Parts {
    boost::asio::io_context io;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;
  };
  static void run(boost::asio::io_context& io) noexcept;

  std::unique_ptr<Parts> parts_;
  boost::asio::io_context* io_;
};

}  // namespace lg::detail
