// NodeRun: awaited in a NodeTask (its task run inline), or in an Asio coroutine (wait(): a task
// then runs with that coroutine's executor and cancellation for its waits).

#include <logic_graph/engine/node/node_run.hpp>

#include "exec/errors.hpp"
#include "node/leaf_hand_over.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <mutex>
#include <optional>
#include <utility>

namespace lg {
namespace {

namespace asio = boost::asio;

// Runs a task for an Asio coroutine: its waits on the coroutine's executor, bound to its
// cancellation (none starts once it is cancelled); its end resumes the coroutine. A wait Asio
// throws away unrun (its io_context destroyed) destroys the coroutine's resumption, which
// unwinds the coroutine and, with it, this host and the task.
class AsioTaskHost final : public detail::TaskHost {
 public:
  // What resumes the waiting coroutine: kept in place, so that waiting allocates nothing and
  // cannot throw while the task is away.
  using Resume = asio::detail::awaitable_handler<asio::any_io_executor>;

  AsioTaskHost(asio::any_io_executor executor, asio::cancellation_state cancellation) noexcept
      : executor_(std::move(executor)), cancellation_(cancellation) {}

  bool spawn(asio::awaitable<void> leaf, std::exception_ptr& error,
             std::coroutine_handle<> waiting) noexcept override {
    if (cancellation_.cancelled() != asio::cancellation_type::none) {
      error = detail::operation_aborted_error();  // cancelled between two waits
      return false;
    }
    const detail::LeafHandOver hand_over(&error);
    try {
      asio::co_spawn(
          executor_, std::move(leaf),
          asio::bind_cancellation_slot(cancellation_.slot(), LeafDone(*this, error, waiting)));
    } catch (...) {
      error = std::current_exception();
      return false;
    }
    if (hand_over.dropped()) {
      error = detail::abandoned_error();
      return false;
    }
    return true;
  }

  void finished() noexcept override {
    std::unique_lock lock(mutex_);
    finished_ = true;
    if (resume_) {
      Resume resume = std::move(*resume_);
      resume_.reset();
      lock.unlock();
      hand_back(std::move(resume), false);
    }
  }

  // Resumes the awaiting coroutine with `resume` once the task has finished.
  void wait(Resume resume) noexcept {
    std::unique_lock lock(mutex_);
    if (abandoned_) {
      return;  // `resume` is destroyed: the coroutine unwinds
    }
    if (!finished_) {
      resume_.emplace(std::move(resume));
      return;
    }
    lock.unlock();
    hand_back(std::move(resume), true);
  }

 private:
  // The end of one of the task's waits: resumes the task, or, destroyed unrun, abandons it.
  class LeafDone {
   public:
    LeafDone(AsioTaskHost& host, std::exception_ptr& error, std::coroutine_handle<> waiting)
        : host_(&host), error_(&error), waiting_(waiting) {}
    LeafDone(LeafDone&& other) noexcept
        : host_(std::exchange(other.host_, nullptr)),
          error_(other.error_),
          waiting_(other.waiting_) {}
    LeafDone(const LeafDone&) = delete;
    LeafDone& operator=(const LeafDone&) = delete;
    LeafDone& operator=(LeafDone&&) = delete;
    ~LeafDone() {
      if (host_ != nullptr && !detail::LeafHandOver::dropped_now(error_)) {
        host_->abandon();
      }
    }
    void operator()(std::exception_ptr error) {
      host_ = nullptr;  // ran
      *error_ = std::move(error);
      waiting_.resume();
    }

   private:
    AsioTaskHost* host_;  // null once run or moved from
    std::exception_ptr* error_;
    std::coroutine_handle<> waiting_;
  };

  void abandon() noexcept {
    std::unique_lock lock(mutex_);
    abandoned_ = true;
    std::optional<Resume> resume = std::move(resume_);
    resume_.reset();
    lock.unlock();
    // Destroying `resume` unwinds the waiting coroutine, this host with it: nothing after.
  }

  // Runs `resume` on the coroutine's executor: queued when `posted` (inside the wait's own
  // initiation, where it must not run), else at once when this thread is in that executor.
  void hand_back(Resume resume, bool posted) noexcept {
    auto run = [resume = std::move(resume)]() mutable { std::move(resume)(); };
    try {
      if (posted) {
        asio::post(executor_, std::move(run));
      } else {
        asio::dispatch(executor_, std::move(run));
      }
    } catch (...) {
      // No memory to queue it: `resume` is destroyed, and the coroutine unwinds.
    }
  }

  asio::any_io_executor executor_;
  asio::cancellation_state cancellation_;
  std::mutex mutex_;
  bool finished_ = false;
  bool abandoned_ = false;
  std::optional<Resume> resume_;
};

asio::awaitable<nlohmann::json> run_task(NodeTask task) {
  AsioTaskHost host(co_await asio::this_coro::executor,
                    co_await asio::this_coro::cancellation_state);
  if (!task.start(host)) {
    // The wait must not throw while the task is away (its waits point into this frame).
    const bool throw_if_cancelled = co_await asio::this_coro::throw_if_cancelled();
    co_await asio::this_coro::throw_if_cancelled(false);
    co_await asio::async_initiate<const asio::use_awaitable_t<>, void()>(
        [&host](AsioTaskHost::Resume resume) { host.wait(std::move(resume)); },
        asio::use_awaitable);
    co_await asio::this_coro::throw_if_cancelled(throw_if_cancelled);
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

bool NodeRun::Awaiter::await_suspend(std::coroutine_handle<> waiting) {
  if (run_.task_) {
    task_.emplace(std::move(*run_.task_), *host_);
    run_.task_.reset();
    return task_->await_suspend(waiting);
  }
  asio_.emplace(std::move(run_.later_), *host_);
  return asio_->await_suspend(waiting);
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
