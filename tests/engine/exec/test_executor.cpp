#include <logic_graph/engine/exec/executor.hpp>

#include "support/execution_failure.hpp"
#include "support/test_nodes.hpp"

#include <logic_graph/memory/memory_profiler.hpp>

#include <doctest/doctest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using lg::ExecutionError;
using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using lg::NodeStatus;
using Json = nlohmann::json;

namespace {

std::string name(std::string_view prefix, std::size_t i) {
  std::string text(prefix);
  text += std::to_string(i);
  return text;
}

// Every edge's target ran after its source.
void check_order(const GraphDef& graph, const ExecutionResult& result) {
  for (const auto& edge : graph.edges) {
    INFO(edge.from << " -> " << edge.to);
    CHECK(result.context().get<std::int64_t>(edge.from) <
          result.context().get<std::int64_t>(edge.to));
  }
}

}  // namespace

TEST_SUITE("executor") {
  TEST_CASE("a chain runs in order") {
    GraphDef graph;
    for (std::size_t i = 0; i < 50; ++i) {
      graph.node(name("n", i), "sequence");
      if (i > 0) {
        graph.edge(name("n", i - 1), name("n", i));
      }
    }
    Executor executor{graph, lg::test::test_registry(), {.threads = 2}};
    const ExecutionResult result = executor.run();
    CHECK(result.count(NodeStatus::executed) == 50);
    check_order(graph, result);
  }

  TEST_CASE("a diamond and a wide fan-out/fan-in run in order") {
    GraphDef graph;
    graph.node("source", "sequence").node("sink", "sequence");
    for (std::size_t i = 0; i < 200; ++i) {
      graph.node(name("mid", i), "sequence")
          .edge("source", name("mid", i))
          .edge(name("mid", i), "sink");
    }
    Executor executor{graph, lg::test::test_registry(), {.threads = 4}};
    const ExecutionResult result = executor.run();
    CHECK(result.count(NodeStatus::executed) == 202);
    check_order(graph, result);
  }

  TEST_CASE("independent nodes run at the same time") {
    auto rendezvous = std::make_shared<lg::test::Rendezvous>(2);
    GraphDef graph;
    graph.node("left", "rendezvous").node("right", "rendezvous");
    Executor executor{graph, lg::test::test_registry({}, rendezvous), {.threads = 2}};
    const ExecutionResult result = executor.run();  // both must be inside at once to finish
    CHECK(result.context().get<bool>("left") == true);
    CHECK(result.context().get<bool>("right") == true);
  }

  TEST_CASE("node results, compute writes and the input land in the context") {
    const GraphDef graph = GraphDef::parse(R"json({
      "name": "order_flow",
      "nodes": [
        {"id": "validate", "type": "rule", "condition": "order.total > 0 && order.items > 0"},
        {"id": "price", "type": "compute",
         "set": {"discount": "order.total >= 100 ? 0.1 : 0.0", "final": "order.total * (1 - discount)"}}
      ],
      "edges": [{"from": "validate", "to": "price", "when": "validate"}]
    })json");
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    const ExecutionResult result = executor.run({{"order", {{"total", 200}, {"items", 2}}}});
    const lg::Context& ctx = result.context();
    CHECK(ctx.get<bool>("validate") == true);
    CHECK(ctx.get<double>("discount") == doctest::Approx(0.1));
    CHECK(ctx.get<double>("final") == doctest::Approx(180.0));
    CHECK((*ctx.get("price"))["final"].get<double>() == doctest::Approx(180.0));
    CHECK(ctx.get("order") != nullptr);
    CHECK(executor.name() == "order_flow");
  }

  TEST_CASE("when: false skips, the skip propagates, and a join with one active branch runs") {
    const GraphDef graph = GraphDef::parse(R"json({
      "nodes": [
        {"id": "start", "type": "rule", "condition": "flag"},
        {"id": "yes", "type": "rule", "condition": "true"},
        {"id": "no", "type": "rule", "condition": "true"},
        {"id": "after_no", "type": "rule", "condition": "true"},
        {"id": "join", "type": "rule", "condition": "true"}
      ],
      "edges": [
        {"from": "start", "to": "yes", "when": "start"},
        {"from": "start", "to": "no", "when": "!start"},
        {"from": "no", "to": "after_no"},
        {"from": "yes", "to": "join"},
        {"from": "after_no", "to": "join"}
      ]
    })json");
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    SUBCASE("flag true") {
      const ExecutionResult result = executor.run({{"flag", true}});
      CHECK(result.status("yes") == NodeStatus::executed);
      CHECK(result.status("no") == NodeStatus::skipped);
      CHECK(result.status("after_no") == NodeStatus::skipped);
      CHECK(result.status("join") == NodeStatus::executed);
      CHECK_FALSE(result.context().contains("no"));
      CHECK(result.nodes(NodeStatus::skipped) == std::vector<std::string>{"no", "after_no"});
    }
    SUBCASE("flag false") {
      const ExecutionResult result = executor.run({{"flag", false}});
      CHECK(result.status("yes") == NodeStatus::skipped);
      CHECK(result.status("after_no") == NodeStatus::executed);
      CHECK(result.status("join") == NodeStatus::executed);
    }
    SUBCASE("all incoming edges inactive skips the join too") {
      GraphDef gated = graph;
      gated.edges[1].when = "false";
      gated.edges[0].when = "false";
      Executor gated_executor{gated, lg::builtin_nodes(), {.threads = 2}};
      const ExecutionResult result = gated_executor.run({{"flag", true}});
      CHECK(result.status("join") == NodeStatus::skipped);
      CHECK(result.count(NodeStatus::executed) == 1);
    }
  }

  TEST_CASE("an invalid graph is refused with every problem named") {
    const GraphDef graph = GraphDef::parse(R"json({
      "nodes": [
        {"id": "a", "type": "nope"},
        {"id": "b", "type": "rule"},
        {"id": "c", "type": "rule", "condition": "1 +"},
        {"id": "d", "type": "compute", "set": {"x": "1"}, "extra": 1}
      ],
      "edges": [{"from": "a", "to": "b", "when": "a ==="}]
    })json",
                                           "flow.json");
    try {
      Executor executor{graph, lg::builtin_nodes()};
      FAIL("no error");
    } catch (const lg::GraphError& e) {
      const auto& problems = e.diagnostics();
      REQUIRE(problems.size() == 5);
      for (const auto& problem : problems) {
        CHECK(problem.where.starts_with("flow.json: "));  // the source the graph was read from
      }
      const std::string all = e.what();
      CHECK(all.find("nodes[0] (id 'a'): field 'type': unknown node type 'nope'") !=
            std::string::npos);
      CHECK(all.find("nodes[1] (id 'b'): field 'condition': missing") != std::string::npos);
      CHECK(all.find("nodes[2] (id 'c'): field 'condition'") != std::string::npos);
      CHECK(all.find("at 3 in '1 +'") != std::string::npos);
      CHECK(all.find("field 'extra': not a field of type") != std::string::npos);
      CHECK(all.find("edges[0] (a -> b): field 'when'") != std::string::npos);
    }
  }

  TEST_CASE("a node factory's ConfigError names the field once, wherever it is shown") {
    const lg::NodeRegistry registry = lg::builtin_nodes();
    lg::NodeDef def;
    def.id = "wait";
    def.type = "delay";
    def.config = {{"ms", "soon"}};
    try {
      (void)registry.create(def);
      FAIL("a string for 'ms' must be refused");
    } catch (const lg::ConfigError& e) {
      CHECK(e.field() == "ms");
      CHECK(e.reason() == "must be a non-negative integer, found string");
      CHECK(std::string(e.what()) == "field 'ms': must be a non-negative integer, found string");
    }
  }

  TEST_CASE("a failing node fails the execution, naming it, nothing after it runs") {
    const GraphDef graph = GraphDef::parse(R"json({
      "nodes": [
        {"id": "first", "type": "rule", "condition": "true"},
        {"id": "broken", "type": "throw", "message": "disk on fire"},
        {"id": "after", "type": "rule", "condition": "true"}
      ],
      "edges": [{"from": "first", "to": "broken"}, {"from": "broken", "to": "after"}]
    })json");
    auto pool = std::make_shared<lg::ContextPool>();
    Executor executor{graph, lg::test::test_registry(), {.threads = 2, .context_pool = pool}};
    const ExecutionError error = lg::test::failure(executor);
    CHECK(error.kind() == ExecutionError::Kind::node_failed);
    CHECK(error.node_id() == "broken");
    CHECK(std::string(error.what()) == "node 'broken' failed: disk on fire");
    CHECK(pool->size() == 1);  // the context went back
    CHECK(pool->stats().total_acquired == 1);
  }

  TEST_CASE("a runtime expression error fails the node that evaluates it") {
    const GraphDef graph = GraphDef::parse(R"json({
      "nodes": [{"id": "calc", "type": "compute", "set": {"ratio": "a / b"}},
                {"id": "next", "type": "rule", "condition": "true"}],
      "edges": [{"from": "calc", "to": "next", "when": "ratio > 'x'"}]
    })json");
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    const ExecutionError divide = lg::test::failure(executor, {{"a", 1}, {"b", 0}});
    CHECK(divide.node_id() == "calc");
    CHECK(std::string(divide.what()).find("division by zero") != std::string::npos);
    const ExecutionError compare = lg::test::failure(executor, {{"a", 1}, {"b", 2}});
    CHECK(compare.node_id() == "calc");
    CHECK(std::string(compare.what()).find("condition of edge calc -> next") != std::string::npos);
  }

  TEST_CASE("describe gives an exception_ptr's message") {
    CHECK(lg::describe(std::make_exception_ptr(std::runtime_error("boom"))) == "boom");
    CHECK(lg::describe(std::make_exception_ptr(42)).find("not a std::exception") !=
          std::string::npos);
    CHECK(lg::describe(nullptr).empty());
  }

  TEST_CASE("the seed guide's Graph and execute()") {
    lg::Graph graph;
    graph.def.node("greet", "compute", {{"set", {{"greeting", "'hello ' + who"}}}});
    graph.context.set("who", "world");
    Executor executor{graph.def, lg::builtin_nodes(), {.threads = 1}};
    asio::io_context io;
    asio::co_spawn(io, executor.execute(graph), asio::detached);
    io.run();
    CHECK(graph.context.get<std::string>("greeting") == "hello world");
  }

  TEST_CASE("1000 concurrent executions of one executor give independent results" *
            doctest::timeout(120)) {
    const GraphDef graph = GraphDef::parse(R"json({
      "nodes": [
        {"id": "a", "type": "compute", "set": {"left": "n * 2"}},
        {"id": "b", "type": "compute", "set": {"right": "n * 3"}},
        {"id": "sum", "type": "compute", "set": {"total": "left + right"}},
        {"id": "big", "type": "rule", "condition": "total >= 2500"}
      ],
      "edges": [{"from": "a", "to": "sum"}, {"from": "b", "to": "sum"},
                {"from": "sum", "to": "big", "when": "total % 2 == 0"}]
    })json");
    for (const std::size_t threads : {2, 4, 8}) {
      CAPTURE(threads);
      Executor executor{graph, lg::builtin_nodes(), {.threads = threads}};
      std::vector<std::future<ExecutionResult>> futures;
      futures.reserve(1000);
      for (int n = 0; n < 1000; ++n) {
        futures.push_back(executor.async_execute({{"n", n}}, asio::use_future));
      }
      int wrong = 0;
      for (int n = 0; n < 1000; ++n) {
        const ExecutionResult result = futures[n].get();
        const auto total = result.context().get<std::int64_t>("total");
        const NodeStatus big = result.status("big");
        const NodeStatus expected =
            total.value_or(-1) % 2 == 0 ? NodeStatus::executed : NodeStatus::skipped;
        if (total != 5 * n || big != expected ||
            (big == NodeStatus::executed && result.context().get<bool>("big") != (5 * n >= 2500))) {
          ++wrong;
        }
      }
      CHECK(wrong == 0);
    }
  }

  TEST_CASE("steady state: an execution of a small graph allocates nothing in the engine") {
    const GraphDef graph = GraphDef::parse(R"json({
      "nodes": [
        {"id": "a", "type": "rule", "condition": "true"},
        {"id": "b", "type": "rule", "condition": "a"},
        {"id": "c", "type": "rule", "condition": "a"},
        {"id": "d", "type": "rule", "condition": "b && c"},
        {"id": "e", "type": "rule", "condition": "d"}
      ],
      "edges": [{"from": "a", "to": "b"}, {"from": "a", "to": "c", "when": "a"},
                {"from": "b", "to": "d"}, {"from": "c", "to": "d"}, {"from": "d", "to": "e"}]
    })json");
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};
    constexpr int runs = 2000;
    std::atomic<int> succeeded{0};
    std::atomic<int> finished{0};
    // Waves of 50 in flight, as a steady service. A wave is over once every execution of it has
    // given its state and context back (the result goes before the count).
    const auto run_many = [&](int count) {
      for (int wave = 0; wave < count / 50; ++wave) {
        const int target = finished.load() + 50;
        for (int i = 0; i < 50; ++i) {
          executor.async_execute(Json(), [&](std::exception_ptr error, ExecutionResult result) {
            const bool ok = !error && result.count(NodeStatus::executed) == 5;
            result = ExecutionResult();
            succeeded.fetch_add(ok ? 1 : 0);
            finished.fetch_add(1);
            finished.notify_one();
          });
        }
        for (int seen = finished.load(); seen < target; seen = finished.load()) {
          finished.wait(seen);
        }
      }
    };
    run_many(1000);  // warm up the pools and the threads' caches
    // Exact counting: every thread's allocations are in the figures the moment they happen.
    // On a loaded machine a preempted thread can hold more executions' states at once than the
    // warm-up ever did, and the pools then grow (once per new high, and a thread's first release
    // to a pool binds its cache): so up to five windows of 2,000 executions, one of which must
    // show no allocation at all. One allocation per execution, or even per thousand, would
    // show in every window.
    lg::memory::set_exact_counting(true);
    std::vector<std::uint64_t> windows;
    for (int attempt = 0; attempt < 5; ++attempt) {
      const auto before = lg::memory::MemoryProfiler::snapshot();
      run_many(runs);
      windows.push_back(lg::memory::MemoryProfiler::snapshot().diff(before).allocations);
      if (windows.back() == 0) {
        break;
      }
    }
    lg::memory::set_exact_counting(false);
    CHECK(succeeded.load() == finished.load());
    INFO("allocations per window of " << runs << " executions: " << doctest::toString(windows));
    CHECK(windows.back() == 0);
  }
}
