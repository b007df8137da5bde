#pragma once

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace lg::test {

/// An asynchronous wait that ends when the test opens the gate (every wait, before or after),
/// or with operation_aborted when the wait is cancelled: lets tests hold asynchronous nodes
/// where they want them without timers.
class Gate {
 public:
  /// Ends every wait, and every later one at once.
  void open() {
    std::vector<std::shared_ptr<WaiterBase>> waiting;
    {
      const std::lock_guard guard(mutex_);
      open_ = true;
      waiting.swap(waiters_);
    }
    for (const auto& waiter : waiting) {
      waiter->finish({});
    }
  }
  [[nodiscard]] bool is_open() const {
    const std::lock_guard guard(mutex_);
    return open_;
  }
  /// Waits counted so far (each async_wait adds one).
  [[nodiscard]] int arrivals() const noexcept { return arrivals_.load(); }

  template <class CompletionToken>
  auto async_wait(CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [this](auto handler) {
          using H = decltype(handler);
          auto slot = boost::asio::get_associated_cancellation_slot(handler);
          auto waiter = std::make_shared<Waiter<H>>(std::move(handler));
          if (slot.is_connected()) {
            slot.assign([weak = std::weak_ptr<Waiter<H>>(waiter)](auto) {
              if (auto waiting = weak.lock()) {
                waiting->finish(boost::asio::error::operation_aborted);
              }
            });
          }
          arrivals_.fetch_add(1);
          bool now = false;
          {
            const std::lock_guard guard(mutex_);
            now = open_;
            if (!now) {
              waiters_.push_back(waiter);
            }
          }
          if (now) {
            waiter->finish({});
          }
        },
        token);
  }

 private:
  struct WaiterBase {
    virtual ~WaiterBase() = default;
    // Completes the wait once; later calls do nothing.
    void finish(boost::system::error_code error) {
      if (!claimed.exchange(true)) {
        fire(error);
      }
    }
    virtual void fire(boost::system::error_code error) = 0;
    std::atomic<bool> claimed{false};
  };
  template <class H>
  struct Waiter final : WaiterBase {
    explicit Waiter(H h) : handler(std::move(h)) {}
    void fire(boost::system::error_code error) override {
      auto executor = boost::asio::get_associated_executor(handler);
      boost::asio::post(executor, [h = std::move(handler), error]() mutable { h(error); });
    }
    H handler;
  };

  mutable std::mutex mutex_;
  bool open_ = false;
  std::vector<std::shared_ptr<WaiterBase>> waiters_;
  std::atomic<int> arrivals_{0};
};

}  // namespace lg::test
