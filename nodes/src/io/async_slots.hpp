#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

namespace lg::detail {

/// At most `size` holders at once (connections to one server, say); the others wait in a FIFO
/// queue, holding no thread. A waiter's cancellation takes it out of the queue
/// (operation_aborted). Thread-safe.
class AsyncSlots {
 public:
  explicit AsyncSlots(std::size_t size) noexcept : free_(size) {}
  AsyncSlots(const AsyncSlots&) = delete;
  AsyncSlots& operator=(const AsyncSlots&) = delete;

  /// Completes `token` (`void(error_code)`) once a slot is taken; the holder gives it back with
  /// release().
  template <class CompletionToken>
  auto async_acquire(CompletionToken&& token);
  /// Takes a free slot now, if there is one (no waiting, no post).
  [[nodiscard]] bool try_acquire() noexcept {
    const std::scoped_lock lock(mutex_);
    if (free_ == 0) {
      return false;
    }
    --free_;
    return true;
  }
  /// Gives a slot back: to the first waiter, or to the free ones.
  void release() noexcept;

 private:
  // Moved by construction or swap() only: Boost 1.81's move assignment wraps the handler in
  // another any_completion_handler instead of moving it.
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code)>;
  // A queued acquisition; `done` (under the mutex) once release() or the cancellation took it.
  struct Waiter {
    Handler handler;
    boost::asio::any_io_executor executor;  // the handler's
    bool done = false;
  };

  // Completes a waiter taken out of the queue on its own executor, never inside the caller's
  // stack (release() runs in a slot holder's destructor).
  static void complete(Handler handler, const boost::asio::any_io_executor& executor,
                       boost::system::error_code error) {
    boost::asio::post(
        executor, [handler = std::move(handler), error]() mutable { std::move(handler)(error); });
  }

  std::mutex mutex_;
  std::size_t free_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

template <class CompletionToken>
auto AsyncSlots::async_acquire(CompletionToken&& token) {
  namespace asio = boost::asio;
  return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
      [this](auto handler) {
        asio::any_io_executor executor = asio::get_associated_executor(handler);
        // The erased handler forwards the caller's cancellation through a slot of its own
        // (any_completion_handler's cancellation state): assign there, not to the caller's.
        Handler erased(std::move(handler));
        auto slot = erased.get_cancellation_slot();
        std::unique_lock lock(mutex_);
        if (free_ > 0) {
          --free_;
          lock.unlock();
          complete(std::move(erased), executor, {});
          return;
        }
        auto waiter = std::make_shared<Waiter>(Waiter{std::move(erased), std::move(executor)});
        waiters_.push_back(waiter);
        if (slot.is_connected()) {
          // Emitted on the waiter's side. release() never touches the slot (another thread's):
          // whichever of the two takes the waiter first marks it done.
          slot.assign([this, waiter](asio::cancellation_type) {
            Handler handler;
            {
              const std::scoped_lock lock(mutex_);
              if (waiter->done) {
                return;
              }
              waiter->done = true;
              handler.swap(waiter->handler);
              std::erase(waiters_, waiter);
            }
            complete(std::move(handler), waiter->executor, asio::error::operation_aborted);
          });
        }
      },
      token);
}

inline void AsyncSlots::release() noexcept {
  Handler next;
  std::shared_ptr<Waiter> waiter;
  {
    const std::scoped_lock lock(mutex_);
    if (waiters_.empty()) {
      ++free_;
      return;
    }
    waiter = std::move(waiters_.front());
    waiters_.pop_front();
    waiter->done = true;
    next.swap(waiter->handler);
  }
  complete(std::move(next), waiter->executor, {});
}

}  // namespace lg::detail
