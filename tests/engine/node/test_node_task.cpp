// TaskNode: a node coroutine that runs on the thread starting it until it waits on Asio, awaits
// inner nodes and child graphs inline, and whose Asio waits see the execution's cancellation.

#include <logic_graph/engine/node/node.hpp>

#include "support/composition_nodes.hpp"
#include "support/execution_failure.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/node/node_config.hpp>

#include <doctest/doctest.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace asio = boost::asio;
using lg::ExecutionError;
using lg::ExecutionOptions;
using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using lg::NodeBuild;
using lg::NodeScope;
using lg::NodeTask;
using Json = nlohmann::json;

namespace {

// Where a task node's code ran: before its await and after it.
struct Threads {
  std::atomic<std::thread::id> before{};
  std::atomic<std::thread::id> after{};
};

// `task_wrap` {node}: awaits its inner node and gives its result, noting the threads.
class TaskWrap final : public lg::TaskNode {
 public:
  TaskWrap(const NodeBuild& build, std::shared_ptr<Threads> threads)
      : TaskNode(build.def()),
        inner_(build.create_inner(lg::config::required_object(build.def(), "node"), "node")),
        threads_(std::move(threads)) {}

 protected:
  NodeTask do_run(NodeScope& scope) const override {
    threads_->before = std::this_thread::get_id();
    Json result = co_await inner_->start(scope);
    threads_->after = std::this_thread::get_id();
    co_return result;
  }

 private:
  std::unique_ptr<lg::Node> inner_;
  std::shared_ptr<Threads> threads_;
};

// `task_sleep` {ms, fail_after}: writes `slept_before`, waits on an Asio timer, writes
// `slept`; throws after the wait when `fail_after`.
class TaskSleep final : public lg::TaskNode {
 public:
  explicit TaskSleep(const NodeBuild& build)
      : TaskNode(build.def()),
        ms_(lg::config::optional_count(build.def(), "ms", 1)),
        fail_after_(build.def().config.value("fail_after", false)) {}

 protected:
  NodeTask do_run(NodeScope& scope) const override {
    scope.set("slept_before", true);
    asio::steady_timer timer(scope.executor(), std::chrono::milliseconds(ms_));
    co_await timer.async_wait(asio::use_awaitable);
    if (fail_after_) {
      throw std::runtime_error("failed after its wait");
    }
    scope.set("slept", ms_);
    co_return ms_;
  }

 private:
  std::int64_t ms_;
  bool fail_after_;
};

// `task_catch` {node}: the inner node's result, or "caught: <message>" when it fails.
class TaskCatch final : public lg::TaskNode {
 public:
  explicit TaskCatch(const NodeBuild& build)
      : TaskNode(build.def()),
        inner_(build.create_inner(lg::config::required_object(build.def(), "node"), "node")) {}

 protected:
  NodeTask do_run(NodeScope& scope) const override {
    NodeScope attempt = scope.nested();
    std::string message;
    try {
      Json result = co_await inner_->start(attempt);
      attempt.commit();
      co_return result;
    } catch (const std::exception& e) {
      message = e.what();
    }
    co_return "caught: " + message;
  }

 private:
  std::unique_ptr<lg::Node> inner_;
};

// `task_child` {graph}: starts the child graph and awaits it; its result is the child's
// context.
class TaskChild final : public lg::TaskNode {
 public:
  explicit TaskChild(const NodeBuild& build)
      : TaskNode(build.def()),
        child_(build.compile(
            GraphDef::from_json(lg::config::required_object(build.def(), "graph"), "graph"),
            "graph")) {}

 protected:
  NodeTask do_run(NodeScope& scope) const override {
    Json input = Json::object();  // not a braced list in the co_await: GCC 12 cannot
    input["from_parent"] = 1;
    ExecutionResult result = co_await scope.start_graph(*child_, std::move(input));
    co_return result.to_json();
  }

 private:
  std::shared_ptr<Executor> child_;
};

// `task_stubborn` {ms}: waits, and when its wait is cancelled, waits once more; counts the
// waits that ran their full length in `completed`.
class TaskStubborn final : public lg::TaskNode {
 public:
  TaskStubborn(const NodeBuild& build, std::shared_ptr<std::atomic<int>> completed)
      : TaskNode(build.def()),
        ms_(lg::config::optional_count(build.def(), "ms", 2000)),
        completed_(std::move(completed)) {}

 protected:
  NodeTask do_run(NodeScope& scope) const override {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        asio::steady_timer timer(scope.executor(), std::chrono::milliseconds(ms_));
        co_await timer.async_wait(asio::use_awaitable);
        completed_->fetch_add(1);
        co_return "waited";
      } catch (const boost::system::system_error&) {
      }
    }
    co_return "gave up";
  }

 private:
  std::int64_t ms_;
  std::shared_ptr<std::atomic<int>> completed_;
};

// `task_loop` {node, times}: awaits its inner node `times` times; the number of true results.
class TaskLoop final : public lg::TaskNode {
 public:
  explicit TaskLoop(const NodeBuild& build)
      : TaskNode(build.def()),
        inner_(build.create_inner(lg::config::required_object(build.def(), "node"), "node")),
        times_(lg::config::optional_count(build.def(), "times", 1)) {}

 protected:
  NodeTask do_run(NodeScope& scope) const override {
    std::int64_t held = 0;
    for (std::int64_t i = 0; i < times_; ++i) {
      const Json result = co_await inner_->start(scope);
      held += result == true ? 1 : 0;
    }
    co_return held;
  }

 private:
  std::unique_ptr<lg::Node> inner_;
  std::int64_t times_;
};

struct Fixture {
  std::shared_ptr<lg::test::World> world = std::make_shared<lg::test::World>();
  std::shared_ptr<Threads> threads = std::make_shared<Threads>();
  std::shared_ptr<std::atomic<int>> completed_waits = std::make_shared<std::atomic<int>>(0);
  lg::NodeRegistry registry = make_registry();

  lg::NodeRegistry make_registry() {
    lg::NodeRegistry made = lg::test::composition_registry(world);
    made.add("task_wrap", [t = threads](const NodeBuild& build) {
      return std::make_unique<TaskWrap>(build, t);
    });
    made.add("task_sleep",
             [](const NodeBuild& build) { return std::make_unique<TaskSleep>(build); });
    made.add("task_catch",
             [](const NodeBuild& build) { return std::make_unique<TaskCatch>(build); });
    made.add("task_stubborn", [c = completed_waits](const NodeBuild& build) {
      return std::make_unique<TaskStubborn>(build, c);
    });
    made.add("task_loop", [](const NodeBuild& build) { return std::make_unique<TaskLoop>(build); });
    made.add("task_child",
             [](const NodeBuild& build) { return std::make_unique<TaskChild>(build); });
    return made;
  }
};

GraphDef one_node(Json node) {
  node["id"] = "n";
  return GraphDef::from_json({{"nodes", Json::array({node})}});
}

}  // namespace

TEST_SUITE("node task") {
  TEST_CASE("a task awaiting inline nodes runs on the thread that runs the execution") {
    Fixture f;
    Executor executor{
        one_node({{"type", "task_wrap"},
                  {"node",
                   {{"type", "task_wrap"}, {"node", {{"type", "rule"}, {"condition", "x > 1"}}}}}}),
        f.registry,
        {.threads = 2}};
    // run() works on its own thread while no node waits: a task that never waits stays there.
    CHECK(executor.run({{"x", 2}}).context().get<bool>("n") == true);
    CHECK(f.threads->before.load() == std::this_thread::get_id());
    CHECK(f.threads->after.load() == std::this_thread::get_id());
  }

  TEST_CASE("a task waits on an Asio timer and goes on where it completes, writes kept") {
    Fixture f;
    Executor executor{
        one_node({{"type", "task_wrap"}, {"node", {{"type", "task_sleep"}, {"ms", 1}}}}),
        f.registry,
        {.threads = 2}};
    const ExecutionResult result = executor.run();
    CHECK(result.context().get<int>("n") == 1);
    CHECK(result.context().get<bool>("slept_before") == true);
    CHECK(result.context().get<int>("slept") == 1);
    CHECK(f.threads->before.load() == std::this_thread::get_id());
    CHECK(f.threads->after.load() != std::this_thread::get_id());  // a runtime thread's
  }

  TEST_CASE("a task's failure, before or after its wait, fails the node with its message") {
    Fixture f;
    SUBCASE("after the wait") {
      Executor executor{
          one_node({{"type", "task_sleep"}, {"fail_after", true}}), f.registry, {.threads = 2}};
      const ExecutionError error = lg::test::failure(executor);
      CHECK(error.node_id() == "n");
      CHECK(lg::test::has(error.what(), "failed after its wait"));
    }
    SUBCASE("an inner node's, inline") {
      Executor executor{
          one_node({{"type", "task_wrap"}, {"node", {{"type", "flaky"}, {"failures", 1}}}}),
          f.registry,
          {.threads = 2}};
      const ExecutionError error = lg::test::failure(executor);
      CHECK(lg::test::has(error.what(), "flaky failure 1"));
    }
  }

  TEST_CASE("a task catches its inner node's failure, and the failed attempt's writes vanish") {
    Fixture f;
    SUBCASE("an inline inner node") {
      Executor executor{
          one_node({{"type", "task_catch"}, {"node", {{"type", "flaky"}, {"failures", 1}}}}),
          f.registry,
          {.threads = 2}};
      const ExecutionResult result = executor.run();
      CHECK(result.context().get<std::string>("n") == "caught: flaky failure 1");
      CHECK_FALSE(result.context().contains("attempt_1"));
    }
    SUBCASE("an inner task that fails after its wait") {
      Executor executor{one_node({{"type", "task_catch"},
                                  {"node", {{"type", "task_sleep"}, {"fail_after", true}}}}),
                        f.registry,
                        {.threads = 2}};
      const ExecutionResult result = executor.run();
      CHECK(result.context().get<std::string>("n") == "caught: failed after its wait");
      CHECK_FALSE(result.context().contains("slept_before"));
    }
  }

  TEST_CASE("tasks compose with Asio coroutine nodes and wrappers, either way round") {
    Fixture f;
    SUBCASE("a task awaits an Asio coroutine node (delay)") {
      Executor executor{one_node({{"type", "task_wrap"}, {"node", {{"type", "delay"}, {"ms", 1}}}}),
                        f.registry,
                        {.threads = 2}};
      CHECK(executor.run().context().get<int>("n") == 1);
    }
    SUBCASE("the built-in retry (an Asio coroutine) runs a task that fails, then succeeds") {
      Executor executor{
          one_node(
              {{"type", "retry"},
               {"attempts", 3},
               {"node", {{"type", "task_wrap"}, {"node", {{"type", "flaky"}, {"failures", 2}}}}}}),
          f.registry,
          {.threads = 2}};
      const ExecutionResult result = executor.run();
      CHECK(result.context().get<int>("n") == 3);
      CHECK(f.world->flaky_runs == 3);
    }
    SUBCASE("the built-in retry around a task that waits on a timer") {
      Executor executor{
          one_node({{"type", "retry"}, {"node", {{"type", "task_sleep"}, {"ms", 1}}}}),
          f.registry,
          {.threads = 2}};
      CHECK(executor.run().context().get<int>("slept") == 1);
    }
  }

  TEST_CASE("a task awaits a child graph: inline when it is synchronous, else until it ends") {
    Fixture f;
    SUBCASE("synchronous") {
      const Json child = {{"id", "c"}, {"type", "compute"}, {"set", {{"y", "from_parent + 41"}}}};
      Executor executor{
          one_node({{"type", "task_child"}, {"graph", {{"nodes", Json::array({child})}}}}),
          f.registry,
          {.threads = 2}};
      CHECK(executor.run().context().get("n")->at("y") == 42);
    }
    SUBCASE("suspending, and failing: the error names the child's node") {
      const Json child = {{"id", "c"}, {"type", "task_sleep"}, {"fail_after", true}};
      Executor executor{
          one_node({{"type", "task_child"}, {"graph", {{"nodes", Json::array({child})}}}}),
          f.registry,
          {.threads = 2}};
      const ExecutionError error = lg::test::failure(executor);
      CHECK(lg::test::has(error.what(), "'c'"));  // the child's node
      CHECK(lg::test::has(error.what(), "failed after its wait"));
    }
  }

  TEST_CASE("the deadline cancels a task's wait, which throws operation_aborted") {
    Fixture f;
    Executor executor{
        one_node({{"type", "task_catch"}, {"node", {{"type", "task_sleep"}, {"ms", 600'000}}}}),
        f.registry,
        {.threads = 2}};
    // The timer would wait ten minutes: only the cancellation ends the execution.
    const ExecutionError error =
        lg::test::failure(executor, nullptr, {.deadline = std::chrono::milliseconds(20)});
    CHECK(error.kind() == ExecutionError::Kind::deadline);
  }

  TEST_CASE("a task that waits again after a cancellation is refused the second wait") {
    Fixture f;
    SUBCASE("run by the executor, stopped by the deadline") {
      Executor executor{one_node({{"type", "task_stubborn"}}), f.registry, {.threads = 2}};
      const ExecutionError error =
          lg::test::failure(executor, nullptr, {.deadline = std::chrono::milliseconds(20)});
      CHECK(error.kind() == ExecutionError::Kind::deadline);
      CHECK(*f.completed_waits == 0);  // neither wait ran its 2 s
    }
    SUBCASE("run by the built-in timeout (an Asio coroutine awaiting the task)") {
      Executor executor{
          one_node({{"type", "timeout"}, {"ms", 20}, {"node", {{"type", "task_stubborn"}}}}),
          f.registry,
          {.threads = 2}};
      const ExecutionError error = lg::test::failure(executor);
      CHECK(lg::test::has(error.what(), "20 ms"));
      CHECK(*f.completed_waits == 0);
    }
  }

  TEST_CASE("100,000 awaits of inline nodes in one task do not grow the stack") {
    Fixture f;
    SUBCASE("a synchronous inner node") {
      Executor executor{one_node({{"type", "task_loop"},
                                  {"times", 100'000},
                                  {"node", {{"type", "rule"}, {"condition", "true"}}}}),
                        f.registry,
                        {.threads = 2}};
      CHECK(executor.run().context().get<int>("n") == 100'000);
    }
    SUBCASE("an inner task, itself awaiting a synchronous node") {
      Executor executor{one_node({{"type", "task_loop"},
                                  {"times", 100'000},
                                  {"node",
                                   {{"type", "task_wrap"},
                                    {"node", {{"type", "rule"}, {"condition", "true"}}}}}}),
                        f.registry,
                        {.threads = 2}};
      CHECK(executor.run().context().get<int>("n") == 100'000);
    }
  }

  TEST_CASE("1,000 executions stopped by deadlines at every point of their tasks all end") {
    Fixture f;
    GraphDef graph;
    graph.node("a", "task_wrap", {{"node", {{"type", "task_sleep"}, {"ms", 0}}}});
    graph.node("b", "task_sleep", {{"ms", 0}});
    graph.node("c", "task_wrap", {{"node", {{"type", "rule"}, {"condition", "true"}}}});
    graph.edge("a", "b");
    graph.edge("b", "c");
    Executor executor{graph, f.registry, {.threads = 2}};
    std::atomic<int> ended{0};
    std::atomic<int> succeeded{0};
    // Ten at a time, so that the deadlines (0 to 2 ms) fall at different points of the tasks.
    // Each round waits for its handlers (idle comes just before the last one runs).
    for (int round = 0; round < 100; ++round) {
      std::latch handled(10);
      for (int i = 0; i < 10; ++i) {
        executor.async_execute(
            nullptr, ExecutionOptions{.deadline = std::chrono::microseconds((round * 10 + i) * 2)},
            [&](std::exception_ptr error, ExecutionResult) {
              succeeded.fetch_add(error ? 0 : 1);
              ended.fetch_add(1);
              handled.count_down();
            });
      }
      handled.wait();
    }
    CHECK(ended == 1000);
    MESSAGE(succeeded.load() << " of 1000 finished before their deadline");
  }

  TEST_CASE("an io_context destroyed while tasks wait on it: each execution ends, failed") {
    Fixture f;
    std::atomic<int> called{0};
    std::atomic<int> failed{0};
    {
      std::optional<asio::io_context> io(std::in_place);
      std::optional<Executor> executor(
          std::in_place,
          one_node({{"type", "task_wrap"}, {"node", {{"type", "task_sleep"}, {"ms", 600'000}}}}),
          f.registry, lg::ExecutorOptions{.executor = io->get_executor()});
      for (int i = 0; i < 10; ++i) {
        executor->async_execute(
            nullptr, asio::bind_executor(*io, [&](std::exception_ptr error, ExecutionResult) {
              called.fetch_add(1);
              failed.fetch_add(error ? 1 : 0);
            }));
      }
      io->poll();  // the tasks start and wait on their timers
      io->stop();
      executor.reset();
      io.reset();
    }
    CHECK(called == failed);
  }
}
