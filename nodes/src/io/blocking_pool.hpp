#pragma once

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/system_error.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

// Calls into libraries that block (SQLite) run on threads of their own, so that the runtime's
// workers never wait on them: a node hands the call over and suspends until it is done.
namespace lg::detail {

/// A fixed number of threads for blocking calls; joins them when destroyed.
class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads) : pool_(threads), size_(threads) {}
  ~BlockingPool() { pool_.join(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] boost::asio::thread_pool::executor_type executor() noexcept {
    return pool_.get_executor();
  }

 private:
  boost::asio::thread_pool pool_;
  std::size_t size_;
};

/// What a blocking call and its waiter share: cancel() comes from the waiter's thread (its
/// cancellation), and interrupts the call through the hook the call installed for the part
/// that can be interrupted (sqlite3_interrupt on the connection in use).
class BlockingCall {
 public:
  void cancel() noexcept {
    const std::scoped_lock lock(mutex_);
    cancelled_ = true;
    if (interrupt_) {
      interrupt_();
    }
  }
  [[nodiscard]] bool cancelled() const noexcept {
    const std::scoped_lock lock(mutex_);
    return cancelled_;
  }
  /// Installs `interrupt` until the returned guard ends; throws operation_aborted when the call
  /// was cancelled already.
  [[nodiscard]] auto interruptible(std::function<void()> interrupt) {
    const std::scoped_lock lock(mutex_);
    if (cancelled_) {
      throw boost::system::system_error(boost::asio::error::operation_aborted);
    }
    interrupt_ = std::move(interrupt);
    auto disarm = [](BlockingCall* call) {
      const std::scoped_lock lock(call->mutex_);
      call->interrupt_ = nullptr;
    };
    return std::unique_ptr<BlockingCall, decltype(disarm)>(this, disarm);
  }

 private:
  mutable std::mutex mutex_;
  bool cancelled_ = false;
  std::function<void()> interrupt_;
};

/// Runs `work(call)` (giving nlohmann::json) on `pool` and completes `token` with
/// `void(std::exception_ptr, nlohmann::json)` on the waiter's executor. A cancellation of the
/// waiter cancels `call` and still waits for `work` to return (so what it uses stays alive);
/// the completion is then operation_aborted.
template <class Work, class CompletionToken>
auto async_blocking(BlockingPool& pool, std::shared_ptr<BlockingCall> call, Work work,
                    CompletionToken&& token) {
  namespace asio = boost::asio;
  using Signature = void(std::exception_ptr, nlohmann::json);
  return asio::async_initiate<CompletionToken, Signature>(
      [&pool](auto handler, std::shared_ptr<BlockingCall> call, Work work) {
        auto slot = asio::get_associated_cancellation_slot(handler);
        if (slot.is_connected()) {
          slot.assign([call](asio::cancellation_type) { call->cancel(); });
        }
        auto waiter = asio::make_work_guard(asio::get_associated_executor(handler));
        asio::post(pool.executor(), [handler = std::move(handler), waiter = std::move(waiter),
                                     call = std::move(call), work = std::move(work)]() mutable {
          std::exception_ptr error;
          nlohmann::json result;
          try {
            result = work(*call);
          } catch (...) {
            error = std::current_exception();
          }
          if (call->cancelled()) {
            error = std::make_exception_ptr(
                boost::system::system_error(asio::error::operation_aborted));
          }
          auto executor = waiter.get_executor();
          asio::post(executor, [handler = std::move(handler), waiter = std::move(waiter), error,
                                result = std::move(result)]() mutable {
            asio::get_associated_cancellation_slot(handler).clear();
            std::move(handler)(error, std::move(result));
          });
        });
      },
      token, std::move(call), std::move(work));
}

}  // namespace lg::detail
