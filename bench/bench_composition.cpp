// What composing nodes costs: the same chain of 10 no-op nodes, one execution at a time on 2
// threads, with each node bare, inside a wrapper, or replaced by a node that runs a child graph:
//   Bare          the no-op node itself
//   WrapInline    a wrapper that returns its inner node's run (inline when the inner node is)
//   WrapAwait     a wrapper coroutine that only awaits its inner node (co_await scope.run)
//   ChildInline   a node that starts a child graph of 1 no-op node and takes its finished result
//   ChildAwait    a node coroutine that awaits a child graph of 1 no-op node (scope.run_graph)
//   WrapTask      WrapAwait written as a TaskNode (co_await inner->start(scope), run inline)
//   ChildTask     ChildAwait written as a TaskNode (co_await scope.start_graph(...))
// and the built-in wrappers around a `rule` that reads one key (`"condition": "k"`):
//   KeyRead       the rule alone
//   CacheHit      the rule with `"cache": {"key": "k"}` (every run after the first a hit)
//   RetryInline   the rule with `"retry": {}` (inline: the first attempt succeeds)
//   TimeoutInline the rule with `"timeout_ms": 1000` (inline: reads the clock twice)
// items_per_second counts the chain's nodes: 1e9 / it is ns per node, and the difference from
// Bare is what the wrapper or the child graph costs. The *Steady rows run Bare, WrapAwait and
// ChildAwait with each execution started by the previous one's completion, on the runtime's
// thread: the coroutines' cost without the benchmark thread's hand-over to a runtime thread
// and back (run() from outside pays two wake-ups when a node suspends). Apart:
//   Foreach       one `foreach` node over 1,000 items with an inline no-op `node` (a child
//                 graph of 1 node per item, run inline); items_per_second counts the items

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/node/node_scope.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include "completion_count.hpp"
#include "noop_node.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace {

constexpr int threads = 2;
constexpr int chain_length = 10;

class WrapInline final : public lg::Node {
 public:
  explicit WrapInline(const lg::NodeBuild& build)
      : WrapInline(build.def(), build.create_inner({{"type", "noop"}}, "node")) {}
  WrapInline(const lg::NodeDef& def, std::unique_ptr<lg::Node> inner)
      : Node(def, inner->may_suspend()), inner_(std::move(inner)) {}

 protected:
  lg::NodeRun do_start(lg::NodeScope& scope) const override { return inner_->start(scope); }

 private:
  std::unique_ptr<lg::Node> inner_;
};

class WrapAwait final : public lg::AsyncNode {
 public:
  explicit WrapAwait(const lg::NodeBuild& build)
      : AsyncNode(build.def()), inner_(build.create_inner({{"type", "noop"}}, "node")) {}

 protected:
  boost::asio::awaitable<nlohmann::json> do_run(lg::NodeScope& scope) const override {
    co_return co_await scope.run(*inner_);
  }

 private:
  std::unique_ptr<lg::Node> inner_;
};

class WrapTask final : public lg::TaskNode {
 public:
  explicit WrapTask(const lg::NodeBuild& build)
      : TaskNode(build.def()), inner_(build.create_inner({{"type", "noop"}}, "node")) {}

 protected:
  lg::NodeTask do_run(lg::NodeScope& scope) const override {
    co_return co_await inner_->start(scope);
  }

 private:
  std::unique_ptr<lg::Node> inner_;
};

lg::GraphDef one_noop() {
  lg::GraphDef graph;
  graph.node("only", "noop");
  return graph;
}

class ChildInline final : public lg::SyncNode {
 public:
  explicit ChildInline(const lg::NodeBuild& build)
      : SyncNode(build.def()), child_(build.compile(one_noop(), "graph")) {}

 protected:
  nlohmann::json do_run(lg::NodeScope& scope) const override {
    lg::GraphRun run = scope.start_graph(*child_, nullptr);
    if (!run.ready()) {
      throw std::logic_error("a child graph of one synchronous node did not finish inline");
    }
    benchmark::DoNotOptimize(run.result());  // throws the child's error if it failed
    return nullptr;
  }

 private:
  std::shared_ptr<lg::Executor> child_;
};

class ChildAwait final : public lg::AsyncNode {
 public:
  explicit ChildAwait(const lg::NodeBuild& build)
      : AsyncNode(build.def()), child_(build.compile(one_noop(), "graph")) {}

 protected:
  boost::asio::awaitable<nlohmann::json> do_run(lg::NodeScope& scope) const override {
    benchmark::DoNotOptimize(co_await scope.run_graph(*child_, nullptr));
    co_return nullptr;
  }

 private:
  std::shared_ptr<lg::Executor> child_;
};

class ChildTask final : public lg::TaskNode {
 public:
  explicit ChildTask(const lg::NodeBuild& build)
      : TaskNode(build.def()), child_(build.compile(one_noop(), "graph")) {}

 protected:
  lg::NodeTask do_run(lg::NodeScope& scope) const override {
    benchmark::DoNotOptimize(co_await scope.start_graph(*child_, nullptr));
    co_return nullptr;
  }

 private:
  std::shared_ptr<lg::Executor> child_;
};

lg::NodeRegistry bench_registry() {
  lg::NodeRegistry registry = lg::builtin_nodes();
  lg::bench::add_noop(registry);
  registry.add("wrap_inline",
               [](const lg::NodeBuild& build) { return std::make_unique<WrapInline>(build); });
  registry.add("wrap_await",
               [](const lg::NodeBuild& build) { return std::make_unique<WrapAwait>(build); });
  registry.add("wrap_task",
               [](const lg::NodeBuild& build) { return std::make_unique<WrapTask>(build); });
  registry.add("child_task",
               [](const lg::NodeBuild& build) { return std::make_unique<ChildTask>(build); });
  registry.add("child_inline",
               [](const lg::NodeBuild& build) { return std::make_unique<ChildInline>(build); });
  registry.add("child_await",
               [](const lg::NodeBuild& build) { return std::make_unique<ChildAwait>(build); });
  return registry;
}

lg::Executor chain_of(const char* type, const nlohmann::json& config) {
  lg::GraphDef graph;
  for (int i = 0; i < chain_length; ++i) {
    graph.node(fmt::format("n{}", i), type, config.is_null() ? nlohmann::json::object() : config);
    if (i > 0) {
      graph.edge(fmt::format("n{}", i - 1), fmt::format("n{}", i));
    }
  }
  return lg::Executor{graph, bench_registry(), {.threads = threads}};
}

// One execution at a time, each started by the benchmark thread (run(): a hand-over to the
// runtime's threads and back for a node that suspends).
void run_chain_of(benchmark::State& state, const char* type, nlohmann::json config = {}) {
  lg::Executor executor = chain_of(type, config);
  for (auto _ : state) {
    benchmark::DoNotOptimize(executor.run({{"k", 1}}));
  }
  state.SetItemsProcessed(state.iterations() * chain_length);
}

// One execution at a time, each started by the previous one's completion on the runtime's
// thread: what a node costs without the hand-over from an outside thread.
void run_chain_steady(benchmark::State& state, const char* type, nlohmann::json config = {}) {
  constexpr std::uint64_t per_iteration = 100;
  lg::Executor executor = chain_of(type, config);
  lg::bench::CompletionCount done;
  lg::bench::CompletionCount drained;
  std::atomic<bool> stopping{false};
  std::atomic<bool> failed{false};
  std::function<void()> start = [&] {
    executor.async_execute({{"k", 1}}, [&](std::exception_ptr error, lg::ExecutionResult) {
      failed = failed || error != nullptr;
      done.signal();
      if (stopping.load(std::memory_order_relaxed)) {
        drained.signal();  // the last one: nothing touches this frame after it
        return;
      }
      start();
    });
  };
  start();
  std::uint64_t target = 0;
  for (auto _ : state) {
    done.wait_for(target += per_iteration);
  }
  stopping = true;
  drained.wait_for(1);
  if (failed) {
    state.SkipWithError("an execution failed");
  }
  state.SetItemsProcessed(state.iterations() * per_iteration * chain_length);
}

void BM_Bare(benchmark::State& state) {
  run_chain_of(state, "noop");
}
void BM_WrapInline(benchmark::State& state) {
  run_chain_of(state, "wrap_inline");
}
void BM_WrapAwait(benchmark::State& state) {
  run_chain_of(state, "wrap_await");
}
void BM_WrapTask(benchmark::State& state) {
  run_chain_of(state, "wrap_task");
}
void BM_ChildTask(benchmark::State& state) {
  run_chain_of(state, "child_task");
}
void BM_ChildInline(benchmark::State& state) {
  run_chain_of(state, "child_inline");
}
void BM_ChildAwait(benchmark::State& state) {
  run_chain_of(state, "child_await");
}

void BM_BareSteady(benchmark::State& state) {
  run_chain_steady(state, "noop");
}
void BM_WrapAwaitSteady(benchmark::State& state) {
  run_chain_steady(state, "wrap_await");
}
void BM_ChildAwaitSteady(benchmark::State& state) {
  run_chain_steady(state, "child_await");
}

void BM_KeyRead(benchmark::State& state) {
  run_chain_of(state, "rule", {{"condition", "k"}});
}
void BM_CacheHit(benchmark::State& state) {
  run_chain_of(state, "rule", {{"condition", "k"}, {"cache", {{"key", "k"}}}});
}
void BM_RetryInline(benchmark::State& state) {
  run_chain_of(state, "rule", {{"condition", "k"}, {"retry", nlohmann::json::object()}});
}
void BM_TimeoutInline(benchmark::State& state) {
  run_chain_of(state, "rule", {{"condition", "k"}, {"timeout_ms", 1000}});
}

// The input (1,000 numbers) is copied into each execution, as a caller would pass it.
void BM_Foreach(benchmark::State& state) {
  constexpr int items = 1000;
  lg::GraphDef graph;
  graph.node("each", "foreach", {{"items", "xs"}, {"node", {{"type", "noop"}}}});
  lg::Executor executor{graph, bench_registry(), {.threads = threads}};
  nlohmann::json input = {{"xs", nlohmann::json::array()}};
  for (int i = 0; i < items; ++i) {
    input["xs"].push_back(i);
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(executor.run(input));
  }
  state.SetItemsProcessed(state.iterations() * items);
}

BENCHMARK(BM_Bare)->UseRealTime();
BENCHMARK(BM_WrapInline)->UseRealTime();
BENCHMARK(BM_WrapAwait)->UseRealTime();
BENCHMARK(BM_WrapTask)->UseRealTime();
BENCHMARK(BM_ChildTask)->UseRealTime();
BENCHMARK(BM_ChildInline)->UseRealTime();
BENCHMARK(BM_ChildAwait)->UseRealTime();
BENCHMARK(BM_BareSteady)->UseRealTime();
BENCHMARK(BM_WrapAwaitSteady)->UseRealTime();
BENCHMARK(BM_ChildAwaitSteady)->UseRealTime();
BENCHMARK(BM_KeyRead)->UseRealTime();
BENCHMARK(BM_CacheHit)->UseRealTime();
BENCHMARK(BM_RetryInline)->UseRealTime();
BENCHMARK(BM_TimeoutInline)->UseRealTime();
BENCHMARK(BM_Foreach)->UseRealTime();

}  // namespace
