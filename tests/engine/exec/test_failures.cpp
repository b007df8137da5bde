// Failure paths found by hostile testing: what nodes and observers throw, values nested without
// limit, and what observers are told about nodes that fail or suspend.

#include <logic_graph/engine/exec/executor.hpp>

#include "support/test_nodes.hpp"

#include <logic_graph/engine/observers/profiling_observer.hpp>

#include <doctest/doctest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

using lg::ExecutionError;
using lg::Executor;
using lg::GraphDef;
using lg::NodeStatus;
using Json = nlohmann::json;

namespace {

// `throws`: throws an int, synchronously; `throws_later`: waits `ms`, then throws an int.
lg::NodeRegistry throwing_nodes() {
  struct Throws final : lg::SyncNode {
    explicit Throws(const lg::NodeDef& def) : SyncNode(def) {}
    nlohmann::json do_run(lg::NodeScope&) const override { throw 42; }
  };
  struct ThrowsLater final : lg::AsyncNode {
    explicit ThrowsLater(const lg::NodeDef& def)
        : AsyncNode(def), ms(lg::config::optional_count(def, "ms", 0)) {}
    boost::asio::awaitable<nlohmann::json> do_run(lg::NodeScope& scope) const override {
      boost::asio::steady_timer timer(scope.executor(), std::chrono::milliseconds(ms));
      co_await timer.async_wait(boost::asio::use_awaitable);
      throw 42;
    }
    std::int64_t ms;
  };
  lg::NodeRegistry registry = lg::builtin_nodes();
  registry.add("throws", [](const lg::NodeDef& def) { return std::make_unique<Throws>(def); });
  registry.add("throws_later",
               [](const lg::NodeDef& def) { return std::make_unique<ThrowsLater>(def); });
  return registry;
}

GraphDef one(std::string type, Json config = Json::object()) {
  GraphDef graph;
  graph.node("x", std::move(type), std::move(config));
  return graph;
}

ExecutionError failure_of(Executor& executor) {
  try {
    executor.run();
  } catch (const ExecutionError& e) {
    return e;
  }
  FAIL("the execution did not fail");
  return ExecutionError(ExecutionError::Kind::node_failed, "", "");
}

// Throws an int from every callback.
struct RudeObserver final : lg::ExecutionObserver {
  void on_execution_start(const lg::ExecutionEvent&) override { throw 1; }
  void on_execution_end(const lg::ExecutionEvent&) override { throw 2; }
  void on_node_start(const lg::NodeEvent&) override { throw std::runtime_error("3"); }
  void on_node_end(const lg::NodeEvent&) override { throw 4; }
};

// Keeps every node end event.
struct NodeEnds final : lg::ExecutionObserver {
  void on_node_end(const lg::NodeEvent& event) override {
    std::lock_guard guard(mutex);
    ends.push_back(
        {std::string(event.node_id), event.status, event.start, event.duration, event.allocations});
  }
  struct End {
    std::string node;
    NodeStatus status;
    std::chrono::steady_clock::time_point start;
    std::chrono::nanoseconds duration;
    std::optional<std::uint64_t> allocations;
  };
  std::mutex mutex;
  std::vector<End> ends;
};

}  // namespace

TEST_SUITE("failures") {
  TEST_CASE("a node that throws something that is not a std::exception fails cleanly") {
    SUBCASE("synchronous") {
      Executor executor{one("throws"), throwing_nodes(), {.threads = 2}};
      const ExecutionError error = failure_of(executor);
      CHECK(error.node_id() == "x");
      CHECK(std::string(error.what()) ==
            "node 'x' failed: an exception that is not a std::exception");
      CHECK_THROWS_AS(std::rethrow_exception(error.cause()), int);
    }
    SUBCASE("asynchronous") {
      Executor executor{one("throws_later"), throwing_nodes(), {.threads = 2}};
      const ExecutionError error = failure_of(executor);
      CHECK(error.node_id() == "x");
      CHECK_THROWS_AS(std::rethrow_exception(error.cause()), int);
    }
    SUBCASE("through async_execute") {
      Executor executor{one("throws"), throwing_nodes(), {.threads = 2}};
      auto future = executor.async_execute(nullptr, boost::asio::use_future);
      CHECK_THROWS_AS(future.get(), ExecutionError);
    }
  }

  TEST_CASE("an observer that throws, std::exception or not, never stops an execution") {
    auto rude = std::make_shared<RudeObserver>();
    Executor executor{
        GraphDef::from_json(
            {{"nodes", Json::array({{{"id", "a"}, {"type", "rule"}, {"condition", "true"}},
                                    {{"id", "b"}, {"type", "delay"}, {"ms", 0}}})}}),
        lg::builtin_nodes(),
        {.threads = 2, .observers = {rude}}};
    for (int i = 0; i < 20; ++i) {
      const lg::ExecutionResult result = executor.run();
      CHECK(result.count(NodeStatus::executed) == 2);
    }
    CHECK(executor.async_execute(nullptr, boost::asio::use_future)
              .get()
              .count(NodeStatus::executed) == 2);
  }

  TEST_CASE("values a node builds are refused past 1,000 levels of nesting, naming the limit") {
    // x = [x], node after node: the 1,001st level is refused before it can reach a printer.
    GraphDef graph;
    graph.node("seed", "compute", {{"set", {{"x", "1"}}}});
    std::string previous = "seed";
    for (int i = 1; i <= 1001; ++i) {
      const std::string id = "wrap" + std::to_string(i);
      graph.node(id, "compute", {{"set", {{"x", "[x]"}}}}).edge(previous, id);
      previous = id;
    }
    Executor executor{graph, lg::builtin_nodes(), {.threads = 1}};
    const ExecutionError error = failure_of(executor);
    // wrap1000 writes x 1,000 levels deep, and its result, {"x": x}, is one level deeper.
    CHECK(error.node_id() == "wrap1000");
    CHECK(std::string(error.what()) ==
          "node 'wrap1000' failed: its result is nested deeper than 1000 levels (the limit for "
          "values nodes produce)");
  }

  TEST_CASE("observers are told when a failed asynchronous node started, and its real length") {
    auto ends = std::make_shared<NodeEnds>();
    Executor executor{
        one("throws_later", {{"ms", 5}}), throwing_nodes(), {.threads = 2, .observers = {ends}}};
    const auto before = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(executor.run(), ExecutionError);
    REQUIRE(ends->ends.size() == 1);
    const NodeEnds::End& end = ends->ends[0];
    CHECK(end.status == NodeStatus::failed);
    CHECK(end.start >= before);
    CHECK(end.duration >= std::chrono::milliseconds(5));  // a timer never fires early
    CHECK_FALSE(end.allocations.has_value());             // it ran on several threads: not counted
  }

  TEST_CASE("allocations are counted for nodes that ran on one thread, not for ones that waited") {
    auto ends = std::make_shared<NodeEnds>();
    auto profile = std::make_shared<lg::ProfilingObserver>();
    Executor executor{
        GraphDef::from_json(
            {{"nodes",
              Json::array({{{"id", "calc"}, {"type", "compute"}, {"set", {{"s", "'a' + str(n)"}}}},
                           {{"id", "wait"}, {"type", "delay"}, {"ms", 0}}})}}),
        lg::builtin_nodes(),
        {.threads = 2, .observers = {ends, profile}}};
    executor.run({{"n", 12345}});
    for (const NodeEnds::End& end : ends->ends) {
      CAPTURE(end.node);
      CHECK(end.allocations.has_value() == (end.node == "calc"));
    }
    const auto report = profile->report();
    for (const auto& node : report.nodes) {
      CHECK(node.allocations.has_value() == (node.id == "calc"));
    }
    const std::string table = profile->format();
    CHECK(table.find("wait") != std::string::npos);
  }

  TEST_CASE("with an outside executor, at most `threads` threads work on one execution") {
    boost::asio::io_context io;
    auto one_thread =
        std::make_shared<lg::Runtime>(lg::RuntimeOptions{.executor = io.get_executor()});
    auto three = std::make_shared<lg::Runtime>(
        lg::RuntimeOptions{.threads = 3, .executor = io.get_executor()});
    CHECK(one_thread->concurrency() == 1);
    CHECK(three->concurrency() == 3);
    auto own = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 5});
    CHECK(own->concurrency() == 5);
  }
}
