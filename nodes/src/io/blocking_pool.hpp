#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

// Calls into libraries that block (SQLite) run on threads of their own, so that the runtime's
// workers never wait on them: a node hands the call over and suspends until it is done.
namespace lg::detail {

/// A fixed number of threads for blocking calls; joins them when destroyed. A thread that runs
/// out of calls looks for new ones for a little while (yielding the core; one thread at a time)
/// before it sleeps:
/// under a steady load a call then finds a thread awake, and neither side pays for a wake-up
/// through the kernel (two futex calls and a context switch, the most of a short call's cost).
/// With a `home` executor (the runtime's), calls done meanwhile go back to it together: one
/// wake-up of a runtime thread for all of them instead of one each.
class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads,
                        std::optional<boost::asio::any_io_executor> home = std::nullopt);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }

  /// Runs `call()` on one of the threads (calls start in the order they came).
  template <class Call>
  void submit(Call call) {
    struct Owned final : Job {
      explicit Owned(Call&& call) : call(std::move(call)) {}
      void run() override { call(); }
      Call call;
    };
    enqueue(std::make_unique<Owned>(std::move(call)));
  }

  /// Runs `done()` on `target` (from one of the pool's threads, after a call).
  template <class Executor, class Done>
  void complete(const Executor& target, Done done) {
    if (!returned_) {
      boost::asio::post(target, std::move(done));
      return;
    }
    struct Owned final : Job {
      Owned(const Executor& target, Done&& done) : target(target), done(std::move(done)) {}
      void run() override { boost::asio::dispatch(target, std::move(done)); }
      Executor target;
      Done done;
    };
    return_home(std::make_unique<Owned>(target, std::move(done)));
  }

 private:
  struct Job {
    virtual ~Job() = default;
    virtual void run() = 0;
  };
  void enqueue(std::unique_ptr<Job> job);
  void return_home(std::unique_ptr<Job> done);
  std::unique_ptr<Job> next();
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Job>> queue_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<bool> looking_{false};
  std::size_t sleeping_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;

  // Shared with the handler posted home, which may run after the pool is gone.
  struct Returned;
  std::shared_ptr<Returned> returned_;
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
        pool.submit([&pool, handler = std::move(handler), waiter = std::move(waiter),
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
          pool.complete(executor, [handler = std::move(handler), waiter = std::move(waiter), error,
                                   result = std::move(result)]() mutable {
            asio::get_associated_cancellation_slot(handler).clear();
            std::move(handler)(error, std::move(result));
          });
        });
      },
      token, std::move(call), std::move(work));
}

}  // namespace lg::detail
