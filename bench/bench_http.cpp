// The `http` node beside wrk against the same loopback server (bench/run_http.sh runs both).
//
//   bench_http serve THREADS          starts the test server (a Beast HTTP/1.1 server answering
//                                     {"ok": true}), prints its URL, serves until stdin closes
//   bench_http node URL SECONDS        a graph of one `http` node GETting URL, 64 executions in
//                                     flight on a 2-thread runtime for SECONDS; prints
//                                     requests per second
//
// Both use keep-alive connections: wrk's 64, and the node's pool (max_connections 64).

#include "support/http_test_server.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

int serve(std::size_t threads) {
  const lg::test::TestHttpServer server(
      [](const lg::test::TestRequest&) { return lg::test::reply(R"({"ok":true})"); }, nullptr,
      threads);
  std::cout << server.url("/") << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}

// Keeps `in_flight` executions going until `end`, each completion starting the next.
class Load {
 public:
  Load(lg::Executor& executor, Clock::time_point end) : executor_(executor), end_(end) {}

  void start(int in_flight) {
    running_ = in_flight;
    for (int i = 0; i < in_flight; ++i) {
      next();
    }
  }
  // Waits for the last execution; the requests that succeeded.
  std::uint64_t wait() {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return running_ == 0; });
    return ok_;
  }

 private:
  void next() {
    executor_.async_execute(nullptr, [this](std::exception_ptr error, lg::ExecutionResult) {
      if (!error) {
        ok_.fetch_add(1, std::memory_order_relaxed);
      } else {
        failed_.fetch_add(1, std::memory_order_relaxed);
      }
      if (Clock::now() < end_ && failed_ < 100) {
        next();
        return;
      }
      const std::scoped_lock lock(mutex_);
      if (--running_ == 0) {
        done_.notify_all();
      }
    });
  }

  lg::Executor& executor_;
  Clock::time_point end_;
  std::atomic<std::uint64_t> ok_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::mutex mutex_;
  std::condition_variable done_;
  int running_ = 0;
};

int node(const std::string& url, double seconds) {
  auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
  const nlohmann::json graph{
      {"nodes", {{{"id", "call"}, {"type", "http"}, {"url", url}, {"max_connections", 64}}}}};
  lg::Executor executor{lg::GraphDef::from_json(graph), lg::builtin_nodes(), {.runtime = runtime}};
  executor.run(nullptr);  // opens a connection and checks the server answers
  const auto began = Clock::now();
  Load load(executor, began + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(seconds)));
  load.start(64);
  const std::uint64_t ok = load.wait();
  const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
  std::cout << fmt::format("{:.0f}", static_cast<double>(ok) / elapsed) << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "serve" && argc == 3) {
      return serve(std::stoul(argv[2]));
    }
    if (mode == "node" && argc == 4) {
      return node(argv[2], std::stod(argv[3]));
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_http: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: bench_http serve THREADS | bench_http node URL SECONDS\n";
  return 2;
}
