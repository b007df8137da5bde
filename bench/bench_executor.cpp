// The executor against its peers on the same shapes of no-op nodes, in one run:
//   Engine   lg::Executor (2 threads), one execution at a time through run()
//   Tbb      oneTBB flow graph: continue_node<continue_msg> bodies, 2 threads (task_arena)
//   Asio     hand-written plain posts on a 2-thread asio::thread_pool: the floor
// Shapes: chain (N nodes in a line), fanout (source -> N -> sink), tree (binary, N nodes),
// diamond (a -> b, c -> d -> e). items_per_second counts nodes, so 1e9 / it is ns per node.
// BM_*Throughput: executions per second of the diamond, 64 started together and waited for, again
// and again; BM_*Steady: 64 kept in flight, each completion starting the next.

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include "completion_count.hpp"
#include "noop_node.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/task_arena.h>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
constexpr int threads = 2;

enum Shape : int { chain, fanout, tree, diamond };

// Edges of each shape over nodes 0..n-1 (fanout: n middle nodes plus source and sink).
struct Edges {
  std::size_t nodes = 0;
  std::vector<std::pair<std::size_t, std::size_t>> list;
};

Edges make_shape(Shape shape, std::size_t n) {
  Edges edges;
  switch (shape) {
    case chain:
      edges.nodes = n;
      for (std::size_t i = 1; i < n; ++i) {
        edges.list.emplace_back(i - 1, i);
      }
      break;
    case fanout:
      edges.nodes = n + 2;
      for (std::size_t i = 0; i < n; ++i) {
        edges.list.emplace_back(0, i + 1);
        edges.list.emplace_back(i + 1, n + 1);
      }
      break;
    case tree:
      edges.nodes = n;
      for (std::size_t i = 1; i < n; ++i) {
        edges.list.emplace_back((i - 1) / 2, i);
      }
      break;
    case diamond:
      edges.nodes = 5;
      edges.list = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}};
      break;
  }
  return edges;
}

using Done = lg::bench::CompletionCount;

// ----- engine -----

lg::NodeRegistry bench_registry() {
  lg::NodeRegistry registry = lg::builtin_nodes();
  lg::bench::add_noop(registry);
  return registry;
}

std::string node_id(std::size_t i) {
  return fmt::format("n{}", i);
}

std::unique_ptr<lg::Executor> make_executor(const Edges& edges) {
  lg::GraphDef graph;
  for (std::size_t i = 0; i < edges.nodes; ++i) {
    graph.node(node_id(i), "noop");
  }
  for (const auto& [from, to] : edges.list) {
    graph.edge(node_id(from), node_id(to));
  }
  return std::make_unique<lg::Executor>(graph, bench_registry(),
                                        lg::ExecutorOptions{.threads = threads});
}

void BM_Engine(benchmark::State& state) {
  const Edges edges = make_shape(static_cast<Shape>(state.range(0)), state.range(1));
  auto executor = make_executor(edges);
  for (auto _ : state) {
    benchmark::DoNotOptimize(executor->run());  // the caller works too, as in TBB's wait_for_all
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(edges.nodes));
}

// ----- oneTBB flow graph -----

struct TbbGraph {
  tbb::flow::graph graph;
  std::vector<std::unique_ptr<tbb::flow::continue_node<tbb::flow::continue_msg>>> nodes;
  std::vector<std::size_t> roots;
};

// `last`, when given, is the body of the last node (the diamond's sink).
std::unique_ptr<TbbGraph> make_tbb(const Edges& edges, std::function<void()> last = {}) {
  auto built = std::make_unique<TbbGraph>();
  std::vector<int> in_degree(edges.nodes, 0);
  for (std::size_t i = 0; i < edges.nodes; ++i) {
    if (last && i + 1 == edges.nodes) {
      built->nodes.push_back(std::make_unique<tbb::flow::continue_node<tbb::flow::continue_msg>>(
          built->graph, [last](const tbb::flow::continue_msg&) { last(); }));
      continue;
    }
    built->nodes.push_back(std::make_unique<tbb::flow::continue_node<tbb::flow::continue_msg>>(
        built->graph, [](const tbb::flow::continue_msg&) {}));
  }
  for (const auto& [from, to] : edges.list) {
    tbb::flow::make_edge(*built->nodes[from], *built->nodes[to]);
    ++in_degree[to];
  }
  for (std::size_t i = 0; i < edges.nodes; ++i) {
    if (in_degree[i] == 0) {
      built->roots.push_back(i);
    }
  }
  return built;
}

void BM_Tbb(benchmark::State& state) {
  const Edges edges = make_shape(static_cast<Shape>(state.range(0)), state.range(1));
  tbb::task_arena arena(threads);
  arena.execute([&] {
    auto built = make_tbb(edges);
    for (auto _ : state) {
      for (const std::size_t root : built->roots) {
        built->nodes[root]->try_put(tbb::flow::continue_msg());
      }
      built->graph.wait_for_all();
    }
  });
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(edges.nodes));
}

// ----- hand-written Asio: one post per node, atomic in-degree counters -----

struct AsioRun {
  const Edges* edges;
  std::vector<std::vector<std::size_t>> successors;
  std::vector<int> in_degree;
  std::unique_ptr<std::atomic<int>[]> pending;
  std::atomic<std::size_t> remaining{0};
  Done* done;
  asio::thread_pool* pool;

  void run(std::size_t node) {
    for (const std::size_t next : successors[node]) {
      if (pending[next].fetch_sub(1, std::memory_order_acq_rel) == 1) {
        asio::post(*pool, [this, next] { run(next); });
      }
    }
    if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      done->signal();
    }
  }
};

void BM_Asio(benchmark::State& state) {
  const Edges edges = make_shape(static_cast<Shape>(state.range(0)), state.range(1));
  asio::thread_pool pool(threads);
  Done done;
  AsioRun run;
  run.edges = &edges;
  run.successors.resize(edges.nodes);
  run.in_degree.assign(edges.nodes, 0);
  for (const auto& [from, to] : edges.list) {
    run.successors[from].push_back(to);
    ++run.in_degree[to];
  }
  run.pending = std::make_unique<std::atomic<int>[]>(edges.nodes);
  run.done = &done;
  run.pool = &pool;
  std::uint64_t started = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < edges.nodes; ++i) {
      run.pending[i].store(run.in_degree[i], std::memory_order_relaxed);
    }
    run.remaining.store(edges.nodes, std::memory_order_relaxed);
    for (std::size_t i = 0; i < edges.nodes; ++i) {
      if (run.in_degree[i] == 0) {
        asio::post(pool, [&run, i] { run.run(i); });
      }
    }
    done.wait_for(++started);
  }
  pool.join();
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(edges.nodes));
}

void shapes(benchmark::internal::Benchmark* b) {
  for (const int n : {10, 1000, 100000}) {
    b->Args({chain, n});
  }
  for (const int n : {10, 1000, 100000}) {
    b->Args({fanout, n});
  }
  b->Args({tree, 1023});
  b->Args({diamond, 5});
  b->ArgNames({"shape", "n"})->UseRealTime();
}

BENCHMARK(BM_Engine)->Apply(shapes);
BENCHMARK(BM_Tbb)->Apply(shapes);
BENCHMARK(BM_Asio)->Apply(shapes);

// ----- throughput: the diamond with many executions in flight -----

constexpr int in_flight = 64;

void BM_EngineThroughput(benchmark::State& state) {
  auto executor = make_executor(make_shape(diamond, 5));
  Done done;
  std::uint64_t finished_target = 0;
  const auto run_batch = [&] {
    for (int i = 0; i < in_flight; ++i) {
      executor->async_execute(nlohmann::json(),
                              [&](std::exception_ptr, lg::ExecutionResult) { done.signal(); });
    }
    done.wait_for(finished_target += in_flight);
  };
  run_batch();  // warm the pools
  // Heap allocations of the whole process while executions run (counting target): workers
  // fold their counts in every 64 events, so a steady per-execution allocation would show.
  const auto allocations_before = lg::memory::global_metrics().total_allocations();
  for (auto _ : state) {
    run_batch();
  }
  const auto allocations = lg::memory::global_metrics().total_allocations() - allocations_before;
  state.SetItemsProcessed(state.iterations() * in_flight);  // executions
  state.counters["allocs/exec"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations() * in_flight);
}

void BM_TbbThroughput(benchmark::State& state) {
  // One flow graph runs one execution at a time; in-flight executions need a graph each.
  tbb::task_arena arena(threads);
  arena.execute([&] {
    std::vector<std::unique_ptr<TbbGraph>> graphs;
    for (int i = 0; i < in_flight; ++i) {
      graphs.push_back(make_tbb(make_shape(diamond, 5)));
    }
    for (auto _ : state) {
      for (auto& graph : graphs) {
        graph->nodes[0]->try_put(tbb::flow::continue_msg());
      }
      for (auto& graph : graphs) {
        graph->graph.wait_for_all();
      }
    }
  });
  state.SetItemsProcessed(state.iterations() * in_flight);
}

// ----- steady: the diamond with 64 executions kept in flight -----

void BM_EngineSteady(benchmark::State& state) {
  auto executor = make_executor(make_shape(diamond, 5));
  Done done;
  Done drained;
  std::atomic<bool> stopping{false};
  std::function<void()> start = [&] {
    executor->async_execute(nlohmann::json(), [&](std::exception_ptr, lg::ExecutionResult) {
      done.signal();
      if (stopping.load(std::memory_order_relaxed)) {
        drained.signal();
        return;
      }
      start();  // on the runtime's thread: runs there
    });
  };
  for (int i = 0; i < in_flight; ++i) {
    start();
  }
  std::uint64_t target = 1000;
  done.wait_for(target);  // warm the pools
  const auto allocations_before = lg::memory::global_metrics().total_allocations();
  for (auto _ : state) {
    done.wait_for(target += in_flight);
  }
  const auto allocations = lg::memory::global_metrics().total_allocations() - allocations_before;
  stopping = true;
  drained.wait_for(in_flight);
  state.SetItemsProcessed(state.iterations() * in_flight);
  state.counters["allocs/exec"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations() * in_flight);
}

void BM_TbbSteady(benchmark::State& state) {
  // The sink of each graph starts its graph again. Two worker threads and a slot for this
  // thread, which only waits (as the engine's caller does).
  tbb::task_arena arena(threads + 1, 1);
  Done done;
  std::atomic<bool> stopping{false};
  std::vector<std::unique_ptr<TbbGraph>> graphs;
  arena.execute([&] {
    for (std::size_t i = 0; i < in_flight; ++i) {
      graphs.push_back(make_tbb(make_shape(diamond, 5), [&done, &stopping, &graphs, i] {
        done.signal();
        if (!stopping.load(std::memory_order_relaxed)) {
          graphs[i]->nodes[0]->try_put(tbb::flow::continue_msg());
        }
      }));
    }
  });
  arena.execute([&] {
    for (auto& graph : graphs) {
      graph->nodes[0]->try_put(tbb::flow::continue_msg());
    }
  });
  std::uint64_t target = 1000;
  done.wait_for(target);
  for (auto _ : state) {
    done.wait_for(target += in_flight);
  }
  stopping = true;
  arena.execute([&] {
    for (auto& graph : graphs) {
      graph->graph.wait_for_all();
    }
  });
  state.SetItemsProcessed(state.iterations() * in_flight);
}

BENCHMARK(BM_EngineThroughput)->UseRealTime();
BENCHMARK(BM_TbbThroughput)->UseRealTime();
BENCHMARK(BM_EngineSteady)->UseRealTime();
BENCHMARK(BM_TbbSteady)->UseRealTime();

}  // namespace
