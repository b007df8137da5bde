#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace lg::detail {

/// Handlers waiting for "nothing in flight" (an executor's executions, a runtime's). The owner
/// calls notify() after each execution completes; it costs one load unless someone waits.
class IdleWaiters {
 public:
  /// A waiting handler, type-erased.
  struct Waiter {
    virtual ~Waiter() = default;
    virtual void complete() = 0;  // posts the handler to its executor
  };

  /// `is_idle` tells whether nothing is in flight (the owner's count, read with seq_cst).
  explicit IdleWaiters(std::function<bool()> is_idle) : is_idle_(std::move(is_idle)) {}

  /// Adds `waiter`; completes it at once (posted) when nothing is in flight.
  void add(std::unique_ptr<Waiter> waiter);
  /// Completes every waiter if nothing is in flight; cheap when no one waits.
  void notify() {
    if (waiting_.load(std::memory_order_seq_cst)) {
      complete_if_idle();
    }
  }

 private:
  void complete_if_idle();

  std::function<bool()> is_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Waiter>> waiters_;
  std::atomic<bool> waiting_{false};
};

/// async_initiate for `void()`: completes `token` once `waiters` finds nothing in flight.
template <class CompletionToken>
auto async_wait_idle(IdleWaiters& waiters, const boost::asio::any_io_executor& fallback,
                     CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void()>(
      [&waiters, fallback](auto handler) {
        using H = decltype(handler);
        struct Box final : IdleWaiters::Waiter {
          Box(H h, const boost::asio::any_io_executor& fallback)
              : work(boost::asio::get_associated_executor(h, fallback)), handler(std::move(h)) {}
          void complete() override {
            auto executor = work.get_executor();
            boost::asio::post(executor, std::move(handler));
            work.reset();
          }
          boost::asio::executor_work_guard<
              boost::asio::associated_executor_t<H, boost::asio::any_io_executor>>
              work;
          H handler;
        };
        waiters.add(std::make_unique<Box>(std::move(handler), fallback));
      },
      token);
}

}  // namespace lg::detail
