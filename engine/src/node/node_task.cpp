// NodeTask: a node coroutine run inline until it waits on Asio, and the awaiter that runs an
// inner task inside it (symmetric transfer: no stack grows from task to task).

#include <logic_graph/engine/node/node_task.hpp>

#include <array>
#include <new>

namespace lg {

namespace detail {
namespace {

// Frames by size class (multiples of 64 bytes up to 1 KiB), a short free list per class and
// thread; anything larger, or past the list's length, goes to operator new and delete.
constexpr std::size_t frame_quantum = 64;
constexpr std::size_t frame_classes = 16;
constexpr std::size_t frames_kept = 32;

struct FreeFrame {
  FreeFrame* next;
};

// False once this thread's cache is gone (a frame freed later, in another thread-local's or a
// static's destructor, goes to operator delete). Trivially destructible, so always readable.
thread_local bool frame_cache_gone = false;

class FrameCache {
 public:
  FrameCache() = default;
  FrameCache(const FrameCache&) = delete;
  FrameCache& operator=(const FrameCache&) = delete;
  ~FrameCache() {
    frame_cache_gone = true;
    for (std::size_t c = 0; c < frame_classes; ++c) {
      while (FreeFrame* frame = lists_[c]) {
        lists_[c] = frame->next;
        ::operator delete(frame);
      }
    }
  }

  void* take(std::size_t size_class) noexcept {
    FreeFrame* frame = lists_[size_class];
    if (frame != nullptr) {
      lists_[size_class] = frame->next;
      --counts_[size_class];
    }
    return frame;
  }
  bool keep(void* memory, std::size_t size_class) noexcept {
    if (counts_[size_class] == frames_kept) {
      return false;
    }
    lists_[size_class] = new (memory) FreeFrame{lists_[size_class]};
    ++counts_[size_class];
    return true;
  }

 private:
  std::array<FreeFrame*, frame_classes> lists_{};
  std::array<std::size_t, frame_classes> counts_{};
};

thread_local FrameCache frame_cache;

constexpr std::size_t class_of(std::size_t size) noexcept {
  return (size - 1) / frame_quantum;
}

}  // namespace

void* allocate_task_frame(std::size_t size) {
  const std::size_t size_class = class_of(size);
  if (size_class >= frame_classes || frame_cache_gone) {
    return ::operator new(size);
  }
  if (void* frame = frame_cache.take(size_class)) {
    return frame;
  }
  return ::operator new((size_class + 1) * frame_quantum);
}

void free_task_frame(void* frame, std::size_t size) noexcept {
  const std::size_t size_class = class_of(size);
  if (size_class < frame_classes && !frame_cache_gone && frame_cache.keep(frame, size_class)) {
    return;
  }
  ::operator delete(frame);
}

}  // namespace detail

NodeTask& NodeTask::operator=(NodeTask&& other) noexcept {
  if (this != &other) {
    if (handle_) {
      handle_.destroy();
    }
    handle_ = std::exchange(other.handle_, {});
  }
  return *this;
}

NodeTask::~NodeTask() {
  if (handle_) {
    handle_.destroy();
  }
}

bool NodeTask::start(detail::TaskHost& host) noexcept {
  return run_here(host, {});
}

bool NodeTask::run_here(detail::TaskHost& host, std::coroutine_handle<> continuation) noexcept {
  promise_type& promise = handle_.promise();
  promise.host_ = &host;
  promise.continuation_ = continuation;
  promise.phase_.store(promise_type::running, std::memory_order_relaxed);
  handle_.resume();  // a call: an inline task returns here, so no stack grows from task to task
  // The task may have finished on another thread already (its wait completed there): then
  // the end is this caller's to handle, and neither the host nor the continuation hears of it.
  return promise.phase_.exchange(promise_type::away, std::memory_order_acq_rel) ==
         promise_type::done;
}

nlohmann::json NodeTask::take_result() {
  promise_type& promise = handle_.promise();
  if (promise.error_) {
    std::rethrow_exception(promise.error_);
  }
  return std::move(promise.value_);
}

std::coroutine_handle<> NodeTask::promise_type::FinalAwaiter::await_suspend(
    Handle finished) noexcept {
  promise_type& promise = finished.promise();
  const std::coroutine_handle<> continuation = promise.continuation_;
  detail::TaskHost* host = promise.host_;
  if (promise.phase_.exchange(done, std::memory_order_acq_rel) != away) {
    return std::noop_coroutine();  // back in run_here(), which handles the end
  }
  if (continuation) {
    return continuation;  // the awaiting task goes on here
  }
  host->finished();  // may destroy this task: nothing of it is touched after
  return std::noop_coroutine();
}

bool NodeTask::Awaiter::await_suspend(std::coroutine_handle<> waiting) noexcept {
  return !task_.run_here(*host_, waiting);  // finished inline: the awaiting task goes on
}

}  // namespace lg
