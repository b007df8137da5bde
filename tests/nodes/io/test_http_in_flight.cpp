#include "nodes/node_run.hpp"
#include "support/http_test_server.hpp"

#include <logic_graph/engine/exec/runtime.hpp>

#include <doctest/doctest.h>
#include <boost/asio/use_future.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <vector>

using lg::test::one_node_graph;
using lg::test::TestRequest;
using lg::test::TestResponse;
using lg::test::typed;
using Json = nlohmann::json;

TEST_SUITE("http node") {
  // No worker waits on I/O: 500 requests are at the server at once from 2 runtime threads (the
  // server holds every answer until the last has arrived), and meanwhile another graph's
  // executions run to the end on the same threads.
  TEST_CASE("500 executions in flight on 2 threads, each waiting on the server, hold no thread") {
    constexpr int in_flight = 500;
    // Both ends of 500 connections in this process.
    rlimit files{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &files) == 0);
    if (files.rlim_cur < 4096 && files.rlim_max > files.rlim_cur) {
      files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4096);
      setrlimit(RLIMIT_NOFILE, &files);
    }
    REQUIRE(files.rlim_cur >= 2 * in_flight + 100);
    auto gate = std::make_shared<lg::test::TestGate>();
    std::mutex mutex;
    std::condition_variable all_arrived;
    int arrived = 0;
    const lg::test::TestHttpServer server([&](const TestRequest&) {
      const std::scoped_lock lock(mutex);
      if (++arrived == in_flight) {
        all_arrived.notify_all();
      }
      return lg::test::reply(R"({"ok": true})", gate);
    });
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    lg::Executor calls{
        one_node_graph(typed("http", {{"url", server.url("/slow")}, {"max_connections", 512}})),
        lg::builtin_nodes(),
        {.runtime = runtime}};
    lg::Executor other{one_node_graph(typed("compute", {{"set", {{"y", "x * 2"}}}})),
                       lg::builtin_nodes(),
                       {.runtime = runtime}};
    // A deadline generous enough for a loaded machine, so that a failure is an error, not a hang.
    const lg::ExecutionOptions options{.deadline = std::chrono::seconds(120)};
    std::vector<std::future<lg::ExecutionResult>> runs;
    runs.reserve(in_flight);
    for (int i = 0; i < in_flight; ++i) {
      runs.push_back(calls.async_execute(nullptr, options, boost::asio::use_future));
    }
    {
      std::unique_lock lock(mutex);
      const bool all = all_arrived.wait_for(lock, std::chrono::seconds(120),
                                            [&] { return arrived == in_flight; });
      INFO("requests at the server: " << arrived);
      REQUIRE(all);
    }
    // Every request waits at the server, and the runtime's threads are free for other work.
    for (int i = 0; i < 100; ++i) {
      CHECK(other.run(Json{{"x", i}}).to_json()["y"] == i * 2);
    }
    gate->open();
    int ok = 0;
    for (auto& run : runs) {
      ok += run.get().to_json()["n"]["body"]["ok"] == true ? 1 : 0;
    }
    CHECK(ok == in_flight);
    CHECK(server.connections() == in_flight);
  }
}
