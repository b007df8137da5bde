// Lifetimes a service relies on: what executions, results and pending completions keep alive,
// shutting an io_context down under executions, and the completion racing a cancellation.

#include <logic_graph/engine/exec/executor.hpp>

#include <logic_graph/nodes/builtin_nodes.hpp>

#include "support/held_graph.hpp"

#include <doctest/doctest.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace asio = boost::asio;
using lg::ExecutionError;
using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using Json = nlohmann::json;

namespace {

// Counts nodes that started.
struct Starts final : lg::ExecutionObserver {
  void on_node_start(const lg::NodeEvent&) override { count.fetch_add(1); }
  std::atomic<int> count{0};
};

// Counts completion handlers called, and how many with an error.
struct Calls {
  std::atomic<int> called{0};
  std::atomic<int> failed{0};
};

// Starts `count` executions on `executor` whose handlers run on `io`, then runs `io` until each
// one's slow node is waiting.
void start_slow(Executor& executor, asio::io_context& io, const Starts& starts, int count,
                const std::shared_ptr<Calls>& calls) {
  for (int i = 0; i < count; ++i) {
    executor.async_execute(
        nullptr, asio::bind_executor(io, [calls](std::exception_ptr error, ExecutionResult) {
          calls->called.fetch_add(1);
          calls->failed.fetch_add(error ? 1 : 0);
        }));
  }
  while (starts.count < count) {
    io.run_one();
  }
}

}  // namespace

TEST_SUITE("lifetimes") {
  TEST_CASE("an io_context stopped and destroyed with executions in flight, executor first") {
    auto starts = std::make_shared<Starts>();
    auto calls = std::make_shared<Calls>();
    {
      std::optional<asio::io_context> io(std::in_place);
      std::optional<Executor> executor(
          std::in_place, lg::test::held_graph(600'000), lg::builtin_nodes(),
          lg::ExecutorOptions{.executor = io->get_executor(), .observers = {starts}});
      start_slow(*executor, *io, *starts, 10, calls);
      io->stop();
      executor.reset();  // executions keep what they need
      io.reset();        // their handlers are destroyed: each execution is abandoned
    }
    CHECK(calls->called == calls->failed);  // whatever ran, ran as a failure
  }

  TEST_CASE("an io_context destroyed before the executor (the reverse declaration order)") {
    auto starts = std::make_shared<Starts>();
    auto calls = std::make_shared<Calls>();
    std::optional<Executor> executor;
    {
      asio::io_context io;
      executor.emplace(lg::test::held_graph(600'000), lg::builtin_nodes(),
                       lg::ExecutorOptions{.executor = io.get_executor(), .observers = {starts}});
      start_slow(*executor, io, *starts, 10, calls);
      io.stop();
    }  // io goes first, with the completions' work guards and the nodes' strands
    CHECK(executor->in_flight() == 0);
    executor.reset();
    CHECK(calls->called == calls->failed);
  }

  TEST_CASE("results outlive their executor") {
    std::optional<ExecutionResult> kept;
    {
      Executor executor{
          GraphDef::from_json(
              {{"nodes",
                Json::array({{{"id", "a"}, {"type", "compute"}, {"set", {{"y", "21 * 2"}}}}})}}),
          lg::builtin_nodes(),
          {.threads = 2}};
      kept.emplace(executor.run());
    }
    CHECK(kept->context().get<int>("y") == 42);
    CHECK(kept->status("a") == lg::NodeStatus::executed);
  }

  TEST_CASE("10,000 completions racing a timer's cancellation (the per-request timeout)" *
            doctest::timeout(300)) {
    using namespace asio::experimental::awaitable_operators;
    Executor executor{
        GraphDef::from_json(
            {{"nodes",
              Json::array({{{"id", "a"}, {"type", "compute"}, {"set", {{"x", "1"}}}},
                           {{"id", "b"}, {"type", "compute"}, {"set", {{"y", "x + 1"}}}}})},
             {"edges", Json::array({{{"from", "a"}, {"to", "b"}}})}}),
        lg::builtin_nodes(),
        {.threads = 2}};
    asio::io_context io;
    int finished = 0;
    int timed_out = 0;
    int wrong = 0;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          for (int i = 0; i < 10'000; ++i) {
            asio::steady_timer timer(io, std::chrono::microseconds(i % 40));
            Json input;  // not inline: GCC 12 miscompiles braced lists inside co_await
            std::variant<ExecutionResult, std::monostate> outcome =
                co_await (executor.async_execute(input, asio::use_awaitable) ||
                          timer.async_wait(asio::use_awaitable));
            if (outcome.index() == 0) {
              ++finished;
              wrong += std::get<0>(outcome).context().get<int>("y") == 2 ? 0 : 1;
            } else {
              ++timed_out;
            }
          }
        },
        [&](std::exception_ptr error) {
          if (error) {
            ++wrong;
          }
        });
    io.run();
    CHECK(finished + timed_out == 10'000);
    CHECK(wrong == 0);
    CHECK(executor.in_flight() == 0);
    MESSAGE(finished << " executions won, " << timed_out << " timers won");
  }

  TEST_CASE("run() on an outside io_context that nobody runs drives it") {
    asio::io_context io;
    GraphDef graph;
    graph.node("wait", "delay", {{"ms", 1}}).node("after", "rule", {{"condition", "wait == 1"}});
    graph.edge("wait", "after");
    Executor executor{graph, lg::builtin_nodes(), {.executor = io.get_executor()}};
    CHECK(executor.run().context().get<bool>("after") == true);
    CHECK(executor.run().context().get<bool>("after") == true);

    io.stop();
    try {
      executor.run();
      FAIL("a stopped io_context cannot finish the execution");
    } catch (const ExecutionError& e) {
      CHECK(e.kind() == ExecutionError::Kind::cancelled);
      CHECK(std::string(e.what()).find("io_context is stopped") != std::string::npos);
    }
    io.restart();
    io.run();  // the abandoned execution ends; nothing is left behind
    CHECK(executor.in_flight() == 0);
  }
}
