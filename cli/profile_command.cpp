#include "command.hpp"
#include "errors.hpp"
#include "input.hpp"
#include "progress_bar.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/observers/profiling_observer.hpp>
#include <logic_graph/engine/observers/trace_observer.hpp>
#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace lg::cli {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct ProfileOptions {
  std::string graph;
  std::optional<std::string> input;
  std::size_t repeat = 0;
  std::size_t concurrency = 1;
  std::size_t threads = 0;
  std::optional<std::string> trace;
};

// Executions in flight and their outcome, shared with the completion handlers.
struct Tally {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t in_flight = 0;
  std::size_t done = 0;
  std::size_t failed = 0;
  std::string first_error;
};

struct Measurement {
  std::size_t executions = 0;
  std::size_t failed = 0;
  std::string first_error;
  Clock::duration elapsed{};
  std::uint64_t allocations = 0;
};

// Keeps `concurrency` executions in flight until `repeat` have completed. This thread only
// launches and waits (redrawing the bar while it waits); executions run on the pool.
Measurement measure(Executor& executor, const Json& input, const ProfileOptions& options) {
  Tally tally;
  ProgressBar bar{options.repeat, ProgressBar::stderr_is_terminal()};
  const auto wait_until = [&](auto ready) {
    std::unique_lock lock(tally.mutex);
    while (!tally.changed.wait_for(lock, std::chrono::milliseconds(100), ready)) {
      const std::size_t done = tally.done;
      lock.unlock();
      bar.update(done);
      lock.lock();
    }
    return tally.done;
  };
  const auto on_done = [&tally](std::exception_ptr error, ExecutionResult result) {
    result = {};  // the context goes back to the pool before this execution counts as done
    const std::string message = describe(error);
    std::lock_guard guard(tally.mutex);
    --tally.in_flight;
    ++tally.done;
    if (error) {
      if (tally.failed++ == 0) {
        tally.first_error = std::move(message);
      }
    }
    tally.changed.notify_all();
  };

  const std::uint64_t allocations_before = memory::global_metrics().total_allocations();
  const Clock::time_point start = Clock::now();
  std::exception_ptr launch_error;
  for (std::size_t launched = 0; launched < options.repeat; ++launched) {
    bar.update(wait_until([&] { return tally.in_flight < options.concurrency; }));
    {
      std::lock_guard guard(tally.mutex);
      ++tally.in_flight;
    }
    try {
      executor.async_execute(input, on_done);  // the handler may run before this returns
    } catch (...) {
      std::lock_guard guard(tally.mutex);
      --tally.in_flight;
      launch_error = std::current_exception();
      break;
    }
  }
  // Handlers refer to the tally: it must outlive every execution launched, even on failure.
  wait_until([&] { return launch_error ? tally.in_flight == 0 : tally.done == options.repeat; });
  if (launch_error) {
    std::rethrow_exception(launch_error);
  }
  const Clock::duration elapsed = Clock::now() - start;
  const std::uint64_t allocations =
      memory::global_metrics().total_allocations() - allocations_before;
  bar.finish();

  std::lock_guard guard(tally.mutex);
  return {.executions = tally.done,
          .failed = tally.failed,
          .first_error = tally.first_error,
          .elapsed = elapsed,
          .allocations = allocations};
}

double micros(std::chrono::nanoseconds duration) {
  return static_cast<double>(duration.count()) / 1e3;
}

std::string format_report(const Measurement& m, const ProfilingObserver::Report& report,
                          const PoolStats& pool, const ProfileOptions& options,
                          const std::string& name) {
  const double seconds = std::chrono::duration<double>(m.elapsed).count();
  std::string text = fmt::format(
      "graph {}: {} executions, {} in flight, {} threads\n", name.empty() ? "(unnamed)" : name,
      m.executions, options.concurrency,
      options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency()));
  text += fmt::format("throughput: {:.1f} executions/s ({:.3f} s in all)\n",
                      seconds > 0 ? static_cast<double>(m.executions) / seconds : 0.0, seconds);
  text += fmt::format("latency: p50 {:.1f} us, p99 {:.1f} us, max {:.1f} us\n",
                      micros(report.latency_p50), micros(report.latency_p99),
                      micros(report.latency_max));
  std::size_t type_width = 10;  // as wide as the longest type (`decisionTableNode`)
  for (const ProfilingObserver::NodeProfile& node : report.nodes) {
    type_width = std::max(type_width, node.type.size());
  }
  text += fmt::format("{:<24} {:<{}} {:>9} {:>12} {:>10} {:>10} {:>10} {:>12}\n", "node", "type",
                      type_width, "count", "total ms", "p50 us", "p99 us", "max us", "allocs/run");
  for (const ProfilingObserver::NodeProfile& node : report.nodes) {
    // Nodes that suspend have no count: their code runs on several threads between others'.
    const std::string per_run = !node.allocations ? std::string("-")
                                : node.count == 0
                                    ? std::string("0.00")
                                    : fmt::format("{:.2f}", static_cast<double>(*node.allocations) /
                                                                static_cast<double>(node.count));
    text += fmt::format("{:<24} {:<{}} {:>9} {:>12.3f} {:>10.1f} {:>10.1f} {:>10.1f} {:>12}\n",
                        node.id, node.type, type_width, node.count, micros(node.total) / 1e3,
                        micros(node.p50), micros(node.p99), micros(node.max), per_run);
  }
  text += fmt::format("context pool: reuse {:.2f}% ({} acquired, {} reused, {} created)\n",
                      pool.reuse_rate(), pool.total_acquired, pool.reused, pool.created);
  text += fmt::format(
      "allocations: {:.2f} per execution ({} in all, {}; includes copying the input)\n",
      m.executions == 0 ? 0.0
                        : static_cast<double>(m.allocations) / static_cast<double>(m.executions),
      m.allocations, memory::allocation_counting_enabled() ? "measured" : "not counted");
  text += fmt::format("failed: {}\n", m.failed);
  return text;
}

int profile(const ProfileOptions& options) {
  try {
    const GraphDef graph = load_graph(options.graph);
    const Json input = options.input ? parse_input(*options.input) : Json::object();
    auto profiler = std::make_shared<ProfilingObserver>();
    ExecutorOptions executor_options{.threads = options.threads, .observers = {profiler}};
    std::shared_ptr<TraceObserver> trace;
    if (options.trace) {
      trace = std::make_shared<TraceObserver>();
      executor_options.observers.push_back(trace);
    }
    Executor executor{graph, builtin_nodes(), std::move(executor_options)};

    const Measurement m = measure(executor, input, options);
    if (trace) {
      trace->write(*options.trace);
    }
    write_stdout(
        format_report(m, profiler->report(), executor.context_pool().stats(), options, graph.name));
    flush_stdout();
    if (m.failed != 0) {
      print_error(fmt::format("{} of {} executions failed; the first: {}", m.failed, m.executions,
                              m.first_error));
      return exit_failed;
    }
    return exit_ok;
  } catch (...) {
    return report_exception(std::current_exception());
  }
}

}  // namespace

Command add_profile_command(CLI::App& parent) {
  auto options = std::make_shared<ProfileOptions>();
  CLI::App* app = parent.add_subcommand("profile", "Run a graph many times and report figures");
  app->footer(
      "Runs the graph N times with C executions in flight, then prints throughput, latency\n"
      "p50/p99/max, a per-node table, the context pool's reuse rate and heap allocations per\n"
      "execution on stdout. A progress bar shows on stderr when stderr is a terminal.\n"
      "Exit code 0, 1 when any execution failed, 2 for an invalid graph, input or arguments.");
  app->add_option("graph", options->graph,
                  "Graph file (JSON, or YAML when named .yaml or .yml; - reads JSON from stdin)")
      ->required()
      ->type_name("FILE");
  app->add_option("--repeat,-n", options->repeat, "Executions in all")
      ->type_name("N")
      ->required()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000'000}));
  app->add_option("--concurrency,-c", options->concurrency, "Executions in flight at once")
      ->type_name("C")
      ->check(CLI::Range(1, 100'000));
  app->add_option("--threads,-t", options->threads, "Worker threads (0: one per core)")
      ->type_name("N")
      ->check(CLI::Range(0, 1024));
  app->add_option("--input,-i", options->input,
                  "Input: a JSON object, or @FILE.json holding one (@- reads stdin)")
      ->type_name("JSON|@FILE");
  app->add_option("--trace", options->trace,
                  "Write every execution as Chrome trace events (open in ui.perfetto.dev)")
      ->type_name("FILE");
  return {app, [options] { return profile(*options); }};
}

}  // namespace lg::cli
