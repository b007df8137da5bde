#pragma once

#include <logic_graph/engine/exec/execution_result.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_future.hpp>

#include <cstddef>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

namespace lg::detail {

/// A handler with an executor of its own runs there; one without (a plain callback, use_future)
/// runs on the thread that completes the execution.
template <class Handler>
inline constexpr bool has_own_executor =
    !std::is_same_v<boost::asio::associated_executor_t<Handler>, boost::asio::system_executor>;

template <class Executor>
inline constexpr bool is_future_executor = false;
template <class T, class Blocking>
inline constexpr bool is_future_executor<boost::asio::detail::promise_executor<T, Blocking>> = true;

/// A handler whose caller cannot be blocked waiting for it: one that runs on an executor of its
/// own (a coroutine's, a strand's), not a plain callback or use_future's (their caller may wait
/// on a future or a condition the handler sets).
template <class Handler>
inline constexpr bool completes_on_executor =
    has_own_executor<Handler> && !is_future_executor<boost::asio::associated_executor_t<Handler>>;

/// Holds an execution's completion handler without knowing its type, in place when it is small
/// (a callback, use_future's or use_awaitable's handler), so that starting an execution does
/// not allocate. A handler with an executor of its own is dispatched there, and that executor
/// counts as busy until then (an io_context awaiting the result keeps running).
class Completion {
 public:
  Completion() noexcept = default;
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;
  ~Completion() { reset(); }

  template <class Handler>
  void emplace(Handler&& handler);

  /// Calls the handler and empties the box. The caller's cancellation `slot` is cleared first,
  /// on the handler's executor: that is where an emit may come from, so clearing it there never
  /// races one (the execution's state stays alive until then, held by `result`).
  void complete(std::exception_ptr error, ExecutionResult result,
                boost::asio::cancellation_slot slot) {
    auto* call = complete_;
    void* target = target_;
    const bool inline_storage = target_ == static_cast<void*>(storage_);
    target_ = nullptr;
    complete_ = nullptr;
    destroy_ = nullptr;
    call(target, inline_storage, std::move(error), std::move(result), slot);
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

  template <class Handler, bool Own = has_own_executor<Handler>>
  struct Box {
    Handler handler;
  };
  template <class Handler>
  struct Box<Handler, true> {
    using Executor = boost::asio::associated_executor_t<Handler>;
    Handler handler;
    boost::asio::executor_work_guard<Executor> work;
  };

  alignas(std::max_align_t) std::byte storage_[inline_size];
  void* target_ = nullptr;
  void (*complete_)(void*, bool, std::exception_ptr, ExecutionResult&&,
                    boost::asio::cancellation_slot) = nullptr;
  void (*destroy_)(void*, bool) noexcept = nullptr;
};

template <class Handler>
void Completion::emplace(Handler&& handler) {
  using H = std::decay_t<Handler>;
  using B = Box<H>;
  reset();
  constexpr bool fits = sizeof(B) <= inline_size && alignof(B) <= alignof(std::max_align_t);
  const auto make = [&](void* where) -> B* {
    if constexpr (has_own_executor<H>) {
      auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
      return where != nullptr ? new (where) B{std::forward<Handler>(handler), std::move(work)}
                              : new B{std::forward<Handler>(handler), std::move(work)};
    } else {
      return where != nullptr ? new (where) B{std::forward<Handler>(handler)}
                              : new B{std::forward<Handler>(handler)};
    }
  };
  if constexpr (fits) {
    target_ = make(storage_);
  } else {
    target_ = make(nullptr);
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
                 ExecutionResult&& result, boost::asio::cancellation_slot slot) {
    auto* box = static_cast<B*>(target);
    H handler(std::move(box->handler));
    if constexpr (has_own_executor<H>) {
      auto work = std::move(box->work);
      if (inline_storage) {
        box->~B();
      } else {
        delete box;
      }
      const auto executor = work.get_executor();
      try {
        boost::asio::dispatch(executor, [handler = std::move(handler), error = std::move(error),
                                         result = std::move(result), slot]() mutable {
          if (slot.is_connected()) {
            slot.clear();
          }
          std::move(handler)(std::move(error), std::move(result));
        });
      } catch (...) {
        // The handler ran inline (dispatch) and threw: let it surface from the executor's run(),
        // as Asio handlers' exceptions do, rather than in the middle of the engine.
        boost::asio::post(executor,
                          [thrown = std::current_exception()] { std::rethrow_exception(thrown); });
      }
      work.reset();
    } else {
      if (inline_storage) {
        box->~B();
      } else {
        delete box;
      }
      if (slot.is_connected()) {
        slot.clear();
      }
      std::move(handler)(std::move(error), std::move(result));
    }
  };
}

}  // namespace lg::detail
