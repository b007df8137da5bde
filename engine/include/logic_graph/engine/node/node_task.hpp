#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <concepts>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace lg {

namespace detail {

/// A task's coroutine frame, from a small per-thread cache of recently freed frames (a frame
/// is freed on the thread where its task ended, often another than the one that made it).
void* allocate_task_frame(std::size_t size);
void free_task_frame(void* frame, std::size_t size) noexcept;

/// Where a NodeTask's waits on Asio go: the executor running the node (its strand, its
/// cancellation), or the Asio coroutine that awaits the task (NodeRun::wait()).
class TaskHost {
 public:
  /// Runs `leaf` for a task that waits in `waiting`; when it ends, sets `error` (null when it
  /// succeeded) and resumes `waiting`. Returns false, with `error` set, when it did not start
  /// it (the execution is stopping): the task then goes on at once.
  virtual bool spawn(boost::asio::awaitable<void> leaf, std::exception_ptr& error,
                     std::coroutine_handle<> waiting) noexcept = 0;
  /// The task that start() left waiting has finished (on a thread of the host's).
  virtual void finished() noexcept = 0;

 protected:
  TaskHost() = default;
  ~TaskHost() = default;
  TaskHost(const TaskHost&) = default;
  TaskHost& operator=(const TaskHost&) = default;
};

/// Awaits an Asio awaitable from a NodeTask: the host runs it (co_spawn) and the task resumes
/// when it ends. Only here does a task pay for Asio's coroutine machinery.
template <class T>
class AsioWait {
 public:
  AsioWait(boost::asio::awaitable<T> work, TaskHost& host) noexcept
      : work_(std::move(work)), host_(&host) {}
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  /// Throws (into the task, which is then resumed) when the leaf cannot be made.
  bool await_suspend(std::coroutine_handle<> waiting) {
    boost::asio::awaitable<void> leaf = store(std::move(work_));
    // Nothing of this object is touched after spawn(): the task may run on elsewhere already.
    return host_->spawn(std::move(leaf), error_, waiting);
  }
  T await_resume() {
    if (error_) {
      std::rethrow_exception(error_);
    }
    if constexpr (!std::is_void_v<T>) {
      return std::move(*value_);
    }
  }

 private:
  boost::asio::awaitable<void> store(boost::asio::awaitable<T> work) {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(work);
    } else {
      value_.emplace(co_await std::move(work));
    }
  }

  boost::asio::awaitable<T> work_;
  TaskHost* host_;
  std::exception_ptr error_;
  std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> value_{};
};

}  // namespace detail

/// A node's coroutine that runs on the thread that starts it, as far as it can go without
/// waiting: awaiting an inner node or a child graph that complete inline costs no more than a
/// call. Only an await on Asio (a timer, a socket, an Asio coroutine) hands the task to the
/// runtime; it goes on where that wait completes, with the execution's cancellation.
///
/// What a task can co_await: NodeRun (an inner node's start(): its value, its task run inline,
/// or its Asio coroutine), GraphRun (a child graph started with NodeScope::start_graph()),
/// another NodeTask, and boost::asio::awaitable<T>.
///
/// @code
/// class PassThrough final : public lg::TaskNode {
///   lg::NodeTask do_run(lg::NodeScope& scope) const override {
///     co_return co_await inner_->start(scope);  // inline when the inner node is
///   }
///   std::unique_ptr<lg::Node> inner_;
/// };
/// @endcode
class NodeTask {
 public:
  class promise_type;
  using Handle = std::coroutine_handle<promise_type>;

  NodeTask(NodeTask&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  NodeTask& operator=(NodeTask&& other) noexcept;
  NodeTask(const NodeTask&) = delete;
  NodeTask& operator=(const NodeTask&) = delete;
  ~NodeTask();

  /// Runs the task on this thread until it finishes (true) or waits on `host` (false: the host's
  /// finished() is called once it finishes, possibly before start() returns to its caller).
  bool start(detail::TaskHost& host) noexcept;
  /// The finished task's result; throws what the task threw.
  nlohmann::json take_result();

  /// For an awaiting task: runs this one inline, then goes on with the awaiting one.
  class Awaiter;
  Awaiter awaiter_in(detail::TaskHost& host) && noexcept;

 private:
  explicit NodeTask(Handle handle) noexcept : handle_(handle) {}
  // start() for a top-level task (no continuation) or one awaited by `continuation`, which is
  // resumed when this one finishes after returning.
  bool run_here(detail::TaskHost& host, std::coroutine_handle<> continuation) noexcept;
  Handle handle_;
};

/// Types a NodeTask may co_await besides Asio's awaitables: they make their awaiter for the
/// task's host.
template <class A>
concept TaskAwaitable = !std::is_lvalue_reference_v<A> && requires(A && a, detail::TaskHost& host) {
  std::move(a).awaiter_in(host);
};

class NodeTask::promise_type {
 public:
  static void* operator new(std::size_t size) { return detail::allocate_task_frame(size); }
  static void operator delete(void* frame, std::size_t size) noexcept {
    detail::free_task_frame(frame, size);
  }
  NodeTask get_return_object() noexcept { return NodeTask(Handle::from_promise(*this)); }
  std::suspend_always initial_suspend() noexcept { return {}; }
  struct FinalAwaiter {
    [[nodiscard]] bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(Handle finished) noexcept;
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void return_value(nlohmann::json&& value) noexcept { value_ = std::move(value); }
  void return_value(const nlohmann::json& value) { value_ = value; }
  void unhandled_exception() noexcept { error_ = std::current_exception(); }

  template <class T>
  detail::AsioWait<T> await_transform(boost::asio::awaitable<T> work) noexcept {
    return detail::AsioWait<T>(std::move(work), *host_);
  }
  template <TaskAwaitable A>
  auto await_transform(A&& awaitable) noexcept(
      noexcept(std::move(awaitable).awaiter_in(std::declval<detail::TaskHost&>()))) {
    return std::move(awaitable).awaiter_in(*host_);
  }

 private:
  friend class NodeTask;
  // For the race between run_here() returning and the task finishing on another thread.
  static constexpr std::uint8_t running = 0;
  static constexpr std::uint8_t away = 1;  // run_here() returned: the end resumes the
                                           // continuation, or tells the host
  static constexpr std::uint8_t done = 2;  // finished before run_here() returned

  nlohmann::json value_;
  std::exception_ptr error_;
  detail::TaskHost* host_ = nullptr;
  std::coroutine_handle<> continuation_;  // the task awaiting this one, if any
  // Whether run_here() or the finished task handles the end: whoever comes second.
  std::atomic<std::uint8_t> phase_{running};
};

class NodeTask::Awaiter {
 public:
  Awaiter(NodeTask&& task, detail::TaskHost& host) noexcept
      : task_(std::move(task)), host_(&host) {}
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> waiting) noexcept;
  nlohmann::json await_resume() { return task_.take_result(); }

 private:
  NodeTask task_;
  detail::TaskHost* host_;
};

inline NodeTask::Awaiter NodeTask::awaiter_in(detail::TaskHost& host) && noexcept {
  return Awaiter(std::move(*this), host);
}

}  // namespace lg
