#pragma once

#include <logic_graph/engine/exec/execution_result.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <cstddef>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

namespace lg::detail {

/// Holds an execution's completion handler without knowing its type, in place when it is small
/// (a callback, use_future's or use_awaitable's handler), so that starting an execution does
/// not allocate. Completing dispatches the handler to its associated executor, and the handler's
/// executor counts as busy until then (an io_context awaiting the result keeps running).
class Completion {
 public:
  Completion() noexcept = default;
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;
  ~Completion() { reset(); }

  template <class Handler>
  void emplace(Handler&& handler, const boost::asio::any_io_executor& fallback);

  /// Calls the handler (through its executor) and empties the slot.
  void complete(std::exception_ptr error, ExecutionResult result) {
    auto* call = complete_;
    void* target = target_;
    const bool inline_storage = target_ == static_cast<void*>(storage_);
    target_ = nullptr;
    complete_ = nullptr;
    destroy_ = nullptr;
    call(target, inline_storage, std::move(error), std::move(result));
  }

  void reset() noexcept {
    if (target_ != nullptr) {
      destroy_(target_, target_ == static_cast<void*>(storage_));
      target_ = nullptr;
    }
  }

  explicit operator bool() const noexcept { return target_ != nullptr; }

 private:
  static constexpr std::size_t inline_size = 160;

  template <class Handler>
  struct Box {
    using Executor = boost::asio::associated_executor_t<Handler, boost::asio::any_io_executor>;
    Handler handler;
    boost::asio::executor_work_guard<Executor> work;
  };

  alignas(std::max_align_t) std::byte storage_[inline_size];
  void* target_ = nullptr;
  void (*complete_)(void*, bool, std::exception_ptr, ExecutionResult&&) = nullptr;
  void (*destroy_)(void*, bool) noexcept = nullptr;
};

template <class Handler>
void Completion::emplace(Handler&& handler, const boost::asio::any_io_executor& fallback) {
  using H = std::decay_t<Handler>;
  using B = Box<H>;
  reset();
  auto executor = boost::asio::get_associated_executor(handler, fallback);
  constexpr bool fits = sizeof(B) <= inline_size && alignof(B) <= alignof(std::max_align_t);
  if constexpr (fits) {
    target_ =
        new (storage_) B{std::forward<Handler>(handler), boost::asio::make_work_guard(executor)};
  } else {
    target_ = new B{std::forward<Handler>(handler), boost::asio::make_work_guard(executor)};
  }
  destroy_ = [](void* target, bool inline_storage) noexcept {
    auto* box = static_cast<B*>(target);
    if (inline_storage) {
      box->~B();
    } else {
      delete box;
    }
  };
  complete_ = [](void* target, bool inline_storage, std::exception_ptr error,
                 ExecutionResult&& result) {
    auto* box = static_cast<B*>(target);
    H handler(std::move(box->handler));
    auto work = std::move(box->work);
    if (inline_storage) {
      box->~B();
    } else {
      delete box;
    }
    if (error) {
      result = ExecutionResult();  // a failed execution's state and context go back now
    }
    const auto executor = work.get_executor();
    boost::asio::dispatch(executor, [handler = std::move(handler), error = std::move(error),
                                     result = std::move(result)]() mutable {
      std::move(handler)(std::move(error), std::move(result));
    });
    work.reset();
  };
}

}  // namespace lg::detail
