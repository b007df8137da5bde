#pragma once

// Keeps a number of executions in flight on one executor, each completion starting the next,
// for the benchmarks that measure a node against a server (bench_http, bench_postgres).

#include <logic_graph/engine/exec/executor.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace lg::bench {

/// Starts `in_flight` executions of `executor` on inputs from `input`, and keeps that many going
/// until stop(): each completion starts the next one.
class InFlightLoad {
 public:
  InFlightLoad(Executor& executor, int in_flight, std::function<nlohmann::json()> input)
      : executor_(executor), input_(std::move(input)), running_(in_flight) {
    for (int i = 0; i < in_flight; ++i) {
      launch();
    }
  }

  /// Executions completed so far.
  [[nodiscard]] std::uint64_t done() const noexcept { return done_.load(); }
  /// True once an execution failed (the load then winds down).
  [[nodiscard]] bool failed() const noexcept { return failed_.load(); }

  /// Lets the executions in flight end, starting no more.
  void stop() {
    stopping_ = true;
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return running_ == 0; });
  }

 private:
  void launch() {
    executor_.async_execute(input_(), [this](std::exception_ptr error, const ExecutionResult&) {
      if (error) {
        failed_ = true;
      }
      done_.fetch_add(1, std::memory_order_relaxed);
      if (!stopping_ && !failed_) {
        launch();
        return;
      }
      const std::lock_guard lock(mutex_);
      if (--running_ == 0) {
        idle_.notify_one();
      }
    });
  }

  Executor& executor_;
  std::function<nlohmann::json()> input_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<bool> failed_{false};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable idle_;
  int running_;
};

/// Executions completed per second by `in_flight` of them kept going for `seconds`, after a
/// second of warm-up (connections made, statements prepared); throws when one fails.
inline double executions_per_second(Executor& executor, int in_flight, double seconds,
                                    std::function<nlohmann::json()> input) {
  using Clock = std::chrono::steady_clock;
  InFlightLoad load(executor, in_flight, std::move(input));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const std::uint64_t before = load.done();
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const std::uint64_t after = load.done();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  load.stop();
  if (load.failed()) {
    throw std::runtime_error("an execution failed");
  }
  return static_cast<double>(after - before) / elapsed;
}

}  // namespace lg::bench
