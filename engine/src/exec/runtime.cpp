#include <logic_graph/engine/exec/runtime.hpp>

#include <logic_graph/engine/exec/execution_error.hpp>

#include "exec/executor_core.hpp"
#include "exec/follow_on_executor.hpp"
#include "exec/runtime_state.hpp"
#include "exec/sharded_count.hpp"

#include <boost/asio/strand.hpp>

#include <algorithm>
#include <future>
#include <stdexcept>
#include <thread>

namespace lg {
namespace detail {

std::size_t ShardedCount::this_shard() noexcept {
  static std::atomic<std::size_t> threads_seen{0};
  thread_local const std::size_t shard =
      threads_seen.fetch_add(1, std::memory_order_relaxed) % shard_count;
  return shard;
}

void IdleWaiters::add(std::unique_ptr<Waiter> waiter) {
  {
    const std::lock_guard guard(mutex_);
    waiters_.push_back(std::move(waiter));
    waiting_.store(true, std::memory_order_seq_cst);
  }
  complete_if_idle();  // idle already, or became so before `waiting_` was seen
}

void IdleWaiters::complete_if_idle() {
  std::vector<std::unique_ptr<Waiter>> ready;
  {
    const std::lock_guard guard(mutex_);
    if (waiters_.empty() || !is_idle_()) {
      return;
    }
    ready.swap(waiters_);
    waiting_.store(false, std::memory_order_seq_cst);
  }
  for (const auto& waiter : ready) {
    waiter->complete();
  }
}

namespace {

constexpr std::size_t own_pool_contexts = 1024;

std::uint32_t own_thread_count(std::size_t threads) {
  return static_cast<std::uint32_t>(
      threads != 0 ? threads : std::max(1U, std::thread::hardware_concurrency()));
}

}  // namespace

RuntimeState::RuntimeState(RuntimeOptions options)
    : options_(std::move(options)),
      handler_blocks_(
          memory::PoolConfig{.max_pooled = 1024, .initial_capacity = 0, .track_stats = false}),
      idle_([this] { return in_flight() == 0; }) {
  // Blocks flow from the threads that post to the ones that run the handlers, and threads'
  // caches hold some of them out of reach of the others: a stock made up front means a post
  // finds a block whatever the threads did before (32 KiB).
  handler_blocks_.reserve(256);
  if (options_.executor) {
    executor_ = *options_.executor;
    concurrency_ = static_cast<std::uint32_t>(std::max<std::size_t>(1, options_.threads));
    using IoExecutor = boost::asio::io_context::executor_type;
    if (const auto* io = executor_.target<IoExecutor>()) {
      outside_io_ = &io->context();
      io_executor_ = *io;
    } else if (const auto* strand = executor_.target<boost::asio::strand<IoExecutor>>()) {
      outside_io_ = &strand->get_inner_executor().context();
    }
  } else {
    concurrency_ = own_thread_count(options_.threads);
    own_threads_ = std::make_unique<OwnThreads>(concurrency_);
    executor_ = own_threads_->get_executor();
    io_executor_ = own_threads_->get_executor();
  }
  // An own pool has room for many executions in flight: contexts cross threads (borrowed where
  // an execution starts, returned where it ends), and a pool without room for the ones in
  // flight and in threads' caches destroys and rebuilds them.
  contexts_ = options_.context_pool
                  ? options_.context_pool
                  : std::make_shared<ContextPool>(PoolConfig{.max_pooled = own_pool_contexts});
  full_ =
      std::make_exception_ptr(ExecutionError(ExecutionError::Kind::rejected, "",
                                             "rejected: " + std::to_string(options_.max_inflight) +
                                                 " executions in flight (max_inflight)"));
  closed_ = std::make_exception_ptr(
      ExecutionError(ExecutionError::Kind::rejected, "", "rejected: the runtime is shutting down"));
}

RuntimeState::~RuntimeState() = default;

boost::asio::any_io_executor RuntimeState::make_strand() const {
  if (io_executor_) {
    return boost::asio::any_io_executor(boost::asio::make_strand(
        FollowOnExecutor<boost::asio::io_context::executor_type>(*io_executor_)));
  }
  return boost::asio::any_io_executor(boost::asio::make_strand(executor_));
}

std::exception_ptr RuntimeState::admit() noexcept {
  if (!accepting_.load(std::memory_order_seq_cst)) {
    return closed_;
  }
  if (options_.max_inflight != 0 &&
      admitted_.fetch_add(1, std::memory_order_relaxed) >= options_.max_inflight) {
    admitted_.fetch_sub(1, std::memory_order_relaxed);
    return full_;
  }
  return nullptr;
}

void RuntimeState::done_with() noexcept {
  if (options_.max_inflight != 0) {
    admitted_.fetch_sub(1, std::memory_order_relaxed);
  }
}

void RuntimeState::add_core(ExecutorCore& core) {
  const std::lock_guard guard(cores_mutex_);
  cores_.push_back(&core);
}

void RuntimeState::remove_core(ExecutorCore& core) noexcept {
  const std::lock_guard guard(cores_mutex_);
  std::erase(cores_, &core);
}

std::size_t RuntimeState::in_flight() const noexcept {
  const std::lock_guard guard(cores_mutex_);
  std::size_t total = 0;
  for (const ExecutorCore* core : cores_) {
    total += core->in_flight();
  }
  return total;
}

void RuntimeState::cancel_all() noexcept {
  const std::lock_guard guard(cores_mutex_);
  for (ExecutorCore* core : cores_) {
    core->cancel_all();
  }
}

IdleWaiters& idle_waiters_of(RuntimeState& state) noexcept {
  return state.idle_waiters();
}

}  // namespace detail

std::shared_ptr<void> detail::RuntimeState::shared(
    std::string_view key, const std::type_info& type,
    const std::function<std::shared_ptr<void>()>& make) {
  const std::lock_guard guard(shared_mutex_);
  const auto found = shared_.find(key);
  if (found != shared_.end()) {
    if (*found->second.type != type) {
      throw std::logic_error("the runtime's shared object '" + std::string(key) +
                             "' has another type");
    }
    return found->second.object;
  }
  std::shared_ptr<void> object = make();
  shared_.emplace(std::string(key), Shared{&type, object});
  return object;
}

std::shared_ptr<void> Runtime::shared_any(std::string_view key, const std::type_info& type,
                                          const std::function<std::shared_ptr<void>()>& make) {
  return state_->shared(key, type, make);
}

Runtime::Runtime(RuntimeOptions options)
    : state_(std::make_unique<detail::RuntimeState>(std::move(options))) {}

Runtime::~Runtime() {
  state_->close();
}

const boost::asio::any_io_executor& Runtime::get_executor() const noexcept {
  return state_->executor();
}

ContextPool& Runtime::context_pool() const noexcept {
  return state_->contexts();
}

std::size_t Runtime::concurrency() const noexcept {
  return state_->concurrency();
}

std::size_t Runtime::in_flight() const noexcept {
  return state_->in_flight();
}

void Runtime::cancel_all() noexcept {
  state_->cancel_all();
}

void Runtime::shutdown() {
  state_->close();
  // Told on the thread that completes the last execution: nothing needs to run the executor.
  struct Waiter final : detail::IdleWaiters::Waiter {
    void complete() override { done.set_value(); }
    std::promise<void> done;
  };
  auto waiter = std::make_unique<Waiter>();
  std::future<void> done = waiter->done.get_future();
  state_->idle_waiters().add(std::move(waiter));
  done.wait();
}

bool Runtime::accepting() const noexcept {
  return state_->accepting();
}

}  // namespace lg
