// The `postgres` node on pgbench's select-only transaction (-S): a SELECT by primary key of
// pgbench_accounts with a random aid, `SELECT abalance FROM pgbench_accounts WHERE aid = $1`,
// as a graph of the one node (mode value) on a runtime of 2 threads, a pool of CONNECTIONS
// connections and IN_FLIGHT executions kept in flight. Measures like pgbench: executions
// completed per second over SECONDS, after a second of warm-up (connections made, statements
// prepared). bench/run_postgres.sh runs it beside pgbench against the same server.
//
//   bench_postgres CONNECTION_STRING ACCOUNTS SECONDS [IN_FLIGHT=64] [CONNECTIONS=8]
//
// Prints `tps N` on one line.

#include <logic_graph/logic_graph.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// Keeps `in_flight` executions going until stop(): each completion starts the next one.
class Load {
 public:
  Load(lg::Executor& executor, int in_flight, std::int64_t accounts)
      : executor_(executor), accounts_(accounts), running_(in_flight) {
    for (int i = 0; i < in_flight; ++i) {
      launch();
    }
  }

  [[nodiscard]] std::uint64_t done() const noexcept { return done_.load(); }
  [[nodiscard]] bool failed() const noexcept { return failed_.load(); }

  // Lets the executions in flight end, starting no more.
  void stop() {
    stopping_ = true;
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return running_ == 0; });
  }

 private:
  void launch() {
    thread_local std::minstd_rand random(std::random_device{}());
    const std::int64_t aid = std::uniform_int_distribution<std::int64_t>(1, accounts_)(random);
    executor_.async_execute({{"aid", aid}},
                            [this](std::exception_ptr error, const lg::ExecutionResult&) {
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

  lg::Executor& executor_;
  std::int64_t accounts_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<bool> failed_{false};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable idle_;
  int running_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 6) {
    std::cerr << "usage: bench_postgres CONNECTION_STRING ACCOUNTS SECONDS [IN_FLIGHT=64] "
                 "[CONNECTIONS=8]\n";
    return 2;
  }
  try {
    const std::int64_t accounts = std::atoll(argv[2]);
    const double seconds = std::atof(argv[3]);
    const int in_flight = argc > 4 ? std::atoi(argv[4]) : 64;
    const int connections = argc > 5 ? std::atoi(argv[5]) : 8;
    const Json graph = {{"nodes",
                         {{{"id", "balance"},
                           {"type", "postgres"},
                           {"connection", argv[1]},
                           {"mode", "value"},
                           {"query", "SELECT abalance FROM pgbench_accounts WHERE aid = $1"},
                           {"params", {"aid"}},
                           {"pool_size", connections}}}}};
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor executor{
        lg::GraphDef::from_json(graph), lg::builtin_nodes(), {.runtime = runtime}};
    executor.run({{"aid", 1}});  // fails here, with its message, when the server is not there

    Load load(executor, in_flight, accounts);
    std::this_thread::sleep_for(std::chrono::seconds(1));  // warm-up
    const std::uint64_t before = load.done();
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const std::uint64_t after = load.done();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    load.stop();
    if (load.failed()) {
      executor.run({{"aid", 1}});  // says why
      throw std::runtime_error("an execution failed");
    }
    std::cout << "tps " << static_cast<double>(after - before) / elapsed << '\n';
  } catch (const std::exception& e) {
    std::cerr << "bench_postgres: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
