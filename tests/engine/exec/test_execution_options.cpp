#include <logic_graph/engine/exec/execution_options.hpp>

#include "support/composition_nodes.hpp"

#include <logic_graph/engine/exec/executor.hpp>

#include <doctest/doctest.h>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

using lg::ExecutionError;
using lg::ExecutionOptions;
using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using lg::NodeStatus;
using Json = nlohmann::json;

namespace {

struct CountingObserver final : lg::ExecutionObserver {
  void on_execution_end(const lg::ExecutionEvent&) override { executions.fetch_add(1); }
  void on_node_end(const lg::NodeEvent&) override { nodes.fetch_add(1); }
  std::atomic<int> executions{0};
  std::atomic<int> nodes{0};
};

GraphDef flow() {
  return GraphDef::parse(R"json({
    "nodes": [
      {"id": "check", "type": "rule", "condition": "order.total > 0"},
      {"id": "price", "type": "compute", "set": {"discount": "order.total >= 100 ? 0.1 : 0.0"}},
      {"id": "never", "type": "rule", "condition": "true"},
      {"id": "after_never", "type": "rule", "condition": "true"}
    ],
    "edges": [{"from": "check", "to": "price", "when": "check"},
              {"from": "check", "to": "never", "when": "false"},
              {"from": "never", "to": "after_never"}]
  })json");
}

}  // namespace

TEST_SUITE("execution options") {
  TEST_CASE("trace: every node once, in graph order, with keys read and results") {
    Executor executor{flow(), lg::builtin_nodes(), {.threads = 2}};
    const ExecutionResult result =
        executor.run({{"order", {{"total", 120}}}}, ExecutionOptions{.trace = true});
    const auto trace = result.trace();
    REQUIRE(trace.size() == 4);
    CHECK(trace[0].node_id == "check");
    CHECK(trace[0].status == NodeStatus::executed);
    CHECK(trace[0].keys_read == std::vector<std::string>{"order"});
    CHECK(trace[0].result == true);
    CHECK(trace[0].duration.count() >= 0);
    CHECK(trace[1].node_id == "price");
    CHECK(trace[1].result == Json{{"discount", 0.1}});
    CHECK(trace[1].keys_read == std::vector<std::string>{"order"});
    CHECK(trace[1].start >= trace[0].start);
    CHECK(trace[2].node_id == "never");
    CHECK(trace[2].status == NodeStatus::skipped);
    CHECK(trace[3].status == NodeStatus::skipped);
    CHECK(executor.run({{"order", {{"total", 1}}}}).trace().empty());  // only when asked
  }

  TEST_CASE("trace of a failed node holds its error") {
    lg::NodeRegistry registry = lg::test::test_registry();
    Executor executor{
        GraphDef::from_json(
            {{"nodes", Json::array({{{"id", "boom"}, {"type", "throw"}, {"message", "broken"}}})}}),
        registry,
        {.threads = 1}};
    std::promise<ExecutionResult> kept;
    executor.async_execute(nullptr, ExecutionOptions{.trace = true},
                           [&](std::exception_ptr error, ExecutionResult result) {
                             CHECK(error);
                             kept.set_value(std::move(result));  // results survive failures
                           });
    const ExecutionResult result = kept.get_future().get();
    REQUIRE(result.trace().size() == 1);
    CHECK(result.trace()[0].status == NodeStatus::failed);
    CHECK(result.trace()[0].error == "broken");
    CHECK(result.status("boom") == NodeStatus::failed);
  }

  TEST_CASE("a call's deadline and budget win over the executor's") {
    GraphDef slow;
    slow.node("wait", "delay", {{"ms", 60'000}});
    Executor executor{slow, lg::builtin_nodes(), {.threads = 2, .deadline = std::chrono::hours(1)}};
    try {
      executor.run(nullptr, ExecutionOptions{.deadline = std::chrono::milliseconds(5)});
      FAIL("no deadline");
    } catch (const ExecutionError& e) {
      CHECK(e.kind() == ExecutionError::Kind::deadline);
      CHECK(e.node_id() == "wait");
      CHECK(std::string(e.what()) == "execution exceeded its deadline of 5 ms (running: 'wait')");
    }
    GraphDef quick;
    quick.node("a", "rule", {{"condition", "true"}});
    Executor budgeted{quick, lg::builtin_nodes(), {.threads = 1}};
    try {
      budgeted.run(nullptr, ExecutionOptions{.memory_budget_bytes = 1});
      FAIL("no budget");
    } catch (const ExecutionError& e) {
      CHECK(e.kind() == ExecutionError::Kind::budget_exceeded);
      CHECK(e.node_id() == "a");
    }
  }

  TEST_CASE("a call's observers see that execution only, after the executor's") {
    auto everything = std::make_shared<CountingObserver>();
    auto one = std::make_shared<CountingObserver>();
    auto runtime_wide = std::make_shared<CountingObserver>();
    auto runtime = std::make_shared<lg::Runtime>(
        lg::RuntimeOptions{.threads = 2, .observers = {runtime_wide}});
    Executor executor{flow(), lg::builtin_nodes(), {.runtime = runtime, .observers = {everything}}};
    const Json input = {{"order", {{"total", 5}}}};
    executor.run(input);
    executor.run(input, ExecutionOptions{.observers = {one}});
    executor.async_execute(input, ExecutionOptions{.observers = {one}}, boost::asio::use_future)
        .get();
    CHECK(everything->executions == 3);
    CHECK(runtime_wide->executions == 3);
    CHECK(one->executions == 2);
    CHECK(one->nodes == 4);  // check and price, twice
  }
}
