// NodeRun: awaited in a NodeTask (its task run inline), or in an Asio coroutine (wait(): a task
// then runs with that coroutine's executor and cancellation for its waits).

#include <logic_graph/engine/node/node_run.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <mutex>

namespace lg {
namespace {

namespace asio = boost::asio;

// The handler that resumes the Asio coroutine waiting for a task, type-erased (Asio 1.81's
// any_completion_handler recurses without end when wrapped again).
class Resume {
 public:
  virtual ~Resume() = default;
  virtual void operator()() = 0;
};

template <class Handler>
class ResumeWith final : public Resume {
 public:
  explicit ResumeWith(Handler handler) : handler_(std::move(handler)) {}
  void operator()() override { std::move(handler_)(); }

 private:
  Handler handler_;
};

// Runs a task for an Asio coroutine: its waits on the coroutine's executor, bound to its
// cancellation; its end resumes the coroutine.
class AsioTaskHost final : public detail::TaskHost {
 public:
  AsioTaskHost(asio::any_io_executor executor, asio::cancellation_slot slot) noexcept
      : executor_(std::move(executor)), slot_(slot) {}

  bool spawn(asio::awaitable<void> leaf, std::exception_ptr& error,
             std::coroutine_handle<> waiting) noexcept override {
    try {
      asio::co_spawn(executor_, std::move(leaf),
                     asio::bind_cancellation_slot(slot_, [&error, waiting](std::exception_ptr e) {
                       error = std::move(e);
                       waiting.resume();
                     }));
      return true;
    } catch (...) {
      error = std::current_exception();
      return false;
    }
  }

  void finished() noexcept override {
    std::unique_lock lock(mutex_);
    finished_ = true;
    if (resume_) {
      std::unique_ptr<Resume> resume = std::move(resume_);
      lock.unlock();
      hand_back(std::move(resume), false);
    }
  }

  // Resumes the awaiting coroutine with `handler` once the task has finished.
  template <class Handler>
  void wait(Handler handler) {
    auto resume = std::make_unique<ResumeWith<Handler>>(std::move(handler));
    std::unique_lock lock(mutex_);
    if (!finished_) {
      resume_ = std::move(resume);
      return;
    }
    lock.unlock();
    hand_back(std::move(resume), true);
  }

 private:
  // Runs `resume` on the coroutine's executor: queued when `posted` (inside the wait's own
  // initiation, where it must not run), else at once when this thread is in that executor.
  void hand_back(std::unique_ptr<Resume> resume, bool posted) noexcept {
    auto run = [resume = std::move(resume)] { (*resume)(); };
    try {
      if (posted) {
        asio::post(executor_, std::move(run));
      } else {
        asio::dispatch(executor_, std::move(run));
      }
    } catch (...) {
      // No memory to queue it: the handler is destroyed, and with it the awaiting coroutine.
    }
  }

  asio::any_io_executor executor_;
  asio::cancellation_slot slot_;
  std::mutex mutex_;
  bool finished_ = false;
  std::unique_ptr<Resume> resume_;
};

asio::awaitable<nlohmann::json> run_task(NodeTask task) {
  AsioTaskHost host(co_await asio::this_coro::executor,
                    (co_await asio::this_coro::cancellation_state).slot());
  if (!task.start(host)) {
    co_await asio::async_initiate<const asio::use_awaitable_t<>, void()>(
        [&host](auto handler) { host.wait(std::move(handler)); }, asio::use_awaitable);
  }
  co_return task.take_result();
}

asio::awaitable<nlohmann::json> value_now(nlohmann::json value) {
  co_return value;
}

}  // namespace

asio::awaitable<nlohmann::json> NodeRun::wait() && {
  if (task_) {
    NodeTask task = std::move(*task_);
    task_.reset();
    return run_task(std::move(task));
  }
  if (!ready_) {
    return std::move(later_);
  }
  return value_now(std::move(value_));
}

std::optional<NodeTask> NodeRun::take_task() noexcept {
  std::optional<NodeTask> task = std::move(task_);
  task_.reset();
  return task;
}

std::coroutine_handle<> NodeRun::Awaiter::await_suspend(std::coroutine_handle<> waiting) {
  if (run_.task_) {
    task_.emplace(std::move(*run_.task_), *host_);
    run_.task_.reset();
    return task_->await_suspend(waiting);
  }
  asio_.emplace(std::move(run_.later_), *host_);
  return asio_->await_suspend(waiting) ? std::noop_coroutine() : waiting;
}

nlohmann::json NodeRun::Awaiter::await_resume() {
  if (task_) {
    return task_->await_resume();
  }
  if (asio_) {
    return asio_->await_resume();
  }
  return std::move(run_.value_);
}

}  // namespace lg
