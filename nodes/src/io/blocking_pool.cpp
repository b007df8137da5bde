#include "io/blocking_pool.hpp"

#include <boost/asio/post.hpp>

#include <chrono>

namespace lg::detail {
namespace {

// How long a thread out of calls keeps looking before it sleeps: a few short calls' time, so
// that a steady stream of calls never sleeps, and an idle pool costs nothing after it.
constexpr auto look_for = std::chrono::microseconds(50);

}  // namespace

struct BlockingPool::Returned {
  explicit Returned(boost::asio::any_io_executor home) : home(std::move(home)) {}
  void run_all() {
    std::vector<std::unique_ptr<Job>> taken;
    {
      const std::scoped_lock lock(mutex);
      taken.swap(done);
      posted = false;
    }
    for (std::unique_ptr<Job>& job : taken) {
      job->run();
    }
  }

  boost::asio::any_io_executor home;
  std::mutex mutex;
  std::vector<std::unique_ptr<Job>> done;
  bool posted = false;
};

BlockingPool::BlockingPool(std::size_t threads, std::optional<boost::asio::any_io_executor> home) {
  if (home) {
    returned_ = std::make_shared<Returned>(std::move(*home));
  }
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { work(); });
  }
}

BlockingPool::~BlockingPool() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) {
    thread.join();
  }
}

void BlockingPool::enqueue(std::unique_ptr<Job> job) {
  bool sleeper = false;
  {
    const std::scoped_lock lock(mutex_);
    queue_.push_back(std::move(job));
    queued_.fetch_add(1, std::memory_order_relaxed);
    // A thread looking for calls takes this one; the one that takes it wakes the next sleeper
    // if more are queued.
    sleeper = sleeping_ > 0 && !looking_.load(std::memory_order_acquire);
  }
  // A thread about to sleep checks the queue under the lock first, so one not counted yet
  // still finds this call.
  if (sleeper) {
    wake_.notify_one();
  }
}

std::unique_ptr<BlockingPool::Job> BlockingPool::next() {
  // One idle thread at a time looks; the others sleep at once (on a machine of few cores, all
  // of them looking would take the cores from the threads that make the calls).
  if (!looking_.exchange(true, std::memory_order_acquire)) {
    const auto give_up = std::chrono::steady_clock::now() + look_for;
    while (queued_.load(std::memory_order_relaxed) == 0 &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
    looking_.store(false, std::memory_order_release);
  }
  std::unique_lock lock(mutex_);
  while (!stopping_ && queue_.empty()) {
    ++sleeping_;
    wake_.wait(lock);
    --sleeping_;
  }
  if (queue_.empty()) {
    return nullptr;  // stopping, every call taken
  }
  std::unique_ptr<Job> job = std::move(queue_.front());
  queue_.pop_front();
  queued_.fetch_sub(1, std::memory_order_relaxed);
  const bool more = !queue_.empty() && sleeping_ > 0;
  lock.unlock();
  if (more) {
    wake_.notify_one();
  }
  return job;
}

void BlockingPool::return_home(std::unique_ptr<Job> done) {
  {
    const std::scoped_lock lock(returned_->mutex);
    returned_->done.push_back(std::move(done));
    if (returned_->posted) {
      return;  // the runtime thread on its way takes this one too
    }
    returned_->posted = true;
  }
  boost::asio::post(returned_->home, [returned = returned_] { returned->run_all(); });
}

void BlockingPool::work() {
  while (std::unique_ptr<Job> job = next()) {
    job->run();
  }
}

}  // namespace lg::detail
