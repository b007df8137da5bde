#pragma once

#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/memory/object_pool.hpp>

#include "exec/handler_memory.hpp"
#include "exec/own_threads.hpp"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

namespace lg::detail {

class ExecutorCore;

/// What a Runtime holds: its threads (or the outside executor), pooled handler memory, the
/// context pool, observers, admission (max_inflight, shutdown) and the executors on it.
class RuntimeState {
 public:
  explicit RuntimeState(RuntimeOptions options);
  ~RuntimeState();
  RuntimeState(const RuntimeState&) = delete;
  RuntimeState& operator=(const RuntimeState&) = delete;

  [[nodiscard]] const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
  [[nodiscard]] ContextPool& contexts() const noexcept { return *contexts_; }
  [[nodiscard]] std::uint32_t concurrency() const noexcept { return concurrency_; }
  [[nodiscard]] std::span<const std::shared_ptr<ExecutionObserver>> observers() const noexcept {
    return options_.observers;
  }
  /// True when the executor is the runtime's own pool (its objects outlive every execution).
  [[nodiscard]] bool owns_threads() const noexcept { return own_threads_ != nullptr; }
  /// True on one of the runtime's own threads.
  [[nodiscard]] bool on_own_thread() const noexcept {
    return own_threads_ != nullptr && own_threads_->get_executor().running_in_this_thread();
  }
  /// True on a thread that runs the runtime's io_context (its own threads, or an outside
  /// io_context's): there a handler deferred with defer() runs as soon as the current one returns.
  [[nodiscard]] bool in_io_thread() const noexcept {
    return io_executor_ && io_executor_->running_in_this_thread();
  }
  /// The outside executor's io_context, when it is one (run() may drive it while it waits).
  [[nodiscard]] boost::asio::io_context* outside_io_context() const noexcept { return outside_io_; }
  /// A new strand for an asynchronous node's coroutine: over the io_context's own executor when
  /// there is one (it then fits in any_io_executor's inline storage: no allocation per copy),
  /// its handlers continuations of the one that posts them (follow_on_executor.hpp).
  [[nodiscard]] boost::asio::any_io_executor make_strand() const;

  /// Posts an engine handler with pooled memory, counted as engine work until it is done or
  /// destroyed.
  template <class Handler>
  void post(Handler&& handler) {
    submit(std::forward<Handler>(handler), false, true);
  }
  /// Posts an execution's completion: not engine work, so not counted; nothing of the runtime
  /// is touched once it ran (the caller's handler may let go of the last hold on the runtime).
  /// As a continuation of the running handler when `deferred`: from one of the io_context's
  /// threads it queues on that thread (no other thread woken) and runs after the current one.
  template <class Handler>
  void post_completion(Handler&& handler, bool deferred) {
    submit(std::forward<Handler>(handler), deferred, false);
  }
  /// Every thread has engine work queued or running: a helper would only wait in line.
  [[nodiscard]] bool saturated() const noexcept {
    return engine_work_.load(std::memory_order_relaxed) >= concurrency_;
  }

  /// Runtime::shared(), untyped.
  std::shared_ptr<void> shared(std::string_view key, const std::type_info& type,
                               const std::function<std::shared_ptr<void>()>& make);

  /// Null when an execution may start (then counted until done_with()); else why not.
  [[nodiscard]] std::exception_ptr admit() noexcept;
  /// An admitted execution completed.
  void done_with() noexcept;
  /// Stops admitting executions.
  void close() noexcept { accepting_.store(false, std::memory_order_seq_cst); }
  [[nodiscard]] bool accepting() const noexcept {
    return accepting_.load(std::memory_order_relaxed);
  }

  void add_core(ExecutorCore& core);
  void remove_core(ExecutorCore& core) noexcept;
  [[nodiscard]] std::size_t in_flight() const noexcept;
  void cancel_all() noexcept;
  [[nodiscard]] IdleWaiters& idle_waiters() noexcept { return idle_; }
  /// A number for a new execution, unique on the runtime (observers tell executions apart by
  /// it whichever executor runs them).
  [[nodiscard]] std::uint64_t next_execution_id() noexcept {
    return executions_started_.fetch_add(1, std::memory_order_relaxed) + 1;
  }

 private:
  // Counts a posted handler as engine work from the post until it runs or is destroyed.
  class WorkCount {
   public:
    explicit WorkCount(std::atomic<std::int64_t>& count) noexcept : count_(&count) {
      count_->fetch_add(1, std::memory_order_relaxed);
    }
    WorkCount(WorkCount&& other) noexcept : count_(std::exchange(other.count_, nullptr)) {}
    WorkCount(const WorkCount&) = delete;
    ~WorkCount() {
      if (count_ != nullptr) {
        count_->fetch_sub(1, std::memory_order_relaxed);
      }
    }

   private:
    std::atomic<std::int64_t>* count_;
  };

  template <class Handler>
  void submit(Handler&& handler, bool continuation, bool counted);

  RuntimeOptions options_;
  memory::ObjectPool<HandlerBlock> handler_blocks_;  // outlives the threads (declared first)
  std::unique_ptr<OwnThreads> own_threads_;
  boost::asio::any_io_executor executor_;
  boost::asio::io_context* outside_io_ = nullptr;
  // The executor of the io_context that runs everything (own or outside), when there is one.
  std::optional<boost::asio::io_context::executor_type> io_executor_;
  std::shared_ptr<ContextPool> contexts_;
  std::uint32_t concurrency_ = 1;
  std::atomic<std::int64_t> engine_work_{0};
  std::atomic<std::size_t> admitted_{0};  // kept only with max_inflight
  std::atomic<bool> accepting_{true};
  std::atomic<std::uint64_t> executions_started_{0};
  mutable std::mutex cores_mutex_;
  std::vector<ExecutorCore*> cores_;
  IdleWaiters idle_;
  // Runtime::shared(): by key, each with its type (made on first use, kept for the runtime's
  // life; destroyed before the threads).
  struct Shared {
    const std::type_info* type;
    std::shared_ptr<void> object;
  };
  std::mutex shared_mutex_;
  std::map<std::string, Shared, std::less<>> shared_;
  std::exception_ptr full_;    // the rejection when at max_inflight
  std::exception_ptr closed_;  // the rejection after shutdown()
};

template <class Handler>
void RuntimeState::submit(Handler&& handler, bool continuation, bool counted) {
  const auto send = [&](auto&& function) {
    if (io_executor_) {
      // The typed executor takes the handler's allocator (any_io_executor would drop it).
      auto bound = boost::asio::bind_allocator(HandlerAllocator<void>(handler_blocks_),
                                               std::forward<decltype(function)>(function));
      if (continuation) {
        boost::asio::defer(*io_executor_, std::move(bound));
      } else {
        boost::asio::post(*io_executor_, std::move(bound));
      }
    } else if (continuation) {
      boost::asio::defer(executor_, std::forward<decltype(function)>(function));
    } else {
      boost::asio::post(executor_, std::forward<decltype(function)>(function));
    }
  };
  if (!counted) {
    send(std::forward<Handler>(handler));
    return;
  }
  send([work = WorkCount(engine_work_), handler = std::forward<Handler>(handler)]() mutable {
    // Counted down before the handler is destroyed: a ticket's destructor may let go of the
    // last hold on this runtime.
    const WorkCount done = std::move(work);
    std::move(handler)();
  });
}

}  // namespace lg::detail
