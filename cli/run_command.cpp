#include "command.hpp"
#include "errors.hpp"
#include "input.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/observers/profiling_observer.hpp>
#include <logic_graph/engine/observers/trace_observer.hpp>
#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>
#include <logic_graph/nodes/jdm.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lg::cli {
namespace {

using Json = nlohmann::json;

struct RunOptions {
  std::string graph;
  std::optional<std::string> input;
  std::size_t threads = 0;
  std::optional<std::string> trace;
  bool profile = false;
  bool pretty = false;
  std::optional<std::string> now;
};

// Invalid UTF-8 can only come from a node's own strings (parsed input is validated); printing
// it replaced keeps the output valid JSON instead of failing the whole run at the end.
std::string dump(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// The context as one JSON object with sorted keys (deterministic whatever order parallel nodes
// wrote in), written entry by entry: a large input is never copied into a second document.
void write_context(const Context& context, bool pretty) {
  std::vector<const Context::Entry*> entries;
  entries.reserve(context.size());
  for (const Context::Entry& entry : context) {
    entries.push_back(&entry);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->key < b->key; });
  const std::string separator = pretty ? ",\n  " : ",";
  std::string text = pretty && !entries.empty() ? "{\n  " : "{";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i != 0) {
      text += separator;
    }
    text += dump(Json(entries[i]->key), -1);
    text += pretty ? ": " : ":";
    const std::string value = dump(entries[i]->value, pretty ? 2 : -1);
    if (pretty) {
      // Nested lines move right by one level; dumped strings hold no raw newline.
      for (const char c : value) {
        text += c;
        if (c == '\n') {
          text += "  ";
        }
      }
    } else {
      text += value;
    }
    if (text.size() >= (1U << 20)) {
      write_stdout(text);
      text.clear();
    }
  }
  text += pretty && !entries.empty() ? "\n}\n" : "}\n";
  write_stdout(text);
  flush_stdout();
}

std::string profile_report(const ProfilingObserver& profile, const ContextPool& pool) {
  std::string text = profile.format();
  const PoolStats stats = pool.stats();
  text += fmt::format("context pool: {} acquired, {} reused, {} created, {} idle\n",
                      stats.total_acquired, stats.reused, stats.created, pool.size());
  const memory::MemoryMetrics& metrics = memory::global_metrics();
  text += fmt::format("process: {} heap allocations, peak {} bytes ({})\n",
                      metrics.total_allocations(), metrics.peak_bytes(),
                      memory::allocation_counting_enabled() ? "measured" : "declared only");
  return text;
}

int run(const RunOptions& options) {
  try {
    pin_now_option(options.now);
    const GraphDef graph = load_graph(options.graph);
    Json input = options.input ? parse_input(*options.input) : Json::object();

    ExecutorOptions executor_options{.threads = options.threads};
    std::shared_ptr<ProfilingObserver> profile;
    std::shared_ptr<TraceObserver> trace;
    if (options.profile) {
      profile = std::make_shared<ProfilingObserver>();
      executor_options.observers.push_back(profile);
    }
    if (options.trace) {
      trace = std::make_shared<TraceObserver>();
      executor_options.observers.push_back(trace);
    }
    Executor executor{graph, builtin_nodes(), std::move(executor_options)};

    int exit_code = exit_ok;
    try {
      const ExecutionResult result = executor.run(std::move(input));
      if (graph.result.empty()) {
        write_context(result.context(), options.pretty);
      } else if (const zen::SharedValue* exact = jdm::decision(result, graph)) {
        // A JDM decision's result, with ZEN's decimals as they are.
        std::fputs(exact->dump(options.pretty ? 2 : -1).c_str(), stdout);
        std::fputc('\n', stdout);
      } else {
        const Json* value = result.context().get(graph.result);
        std::fputs(dump(value != nullptr ? *value : Json(), options.pretty ? 2 : -1).c_str(),
                   stdout);
        std::fputc('\n', stdout);
      }
    } catch (const ExecutionError& error) {
      print_error(error.what());
      exit_code = exit_failed;
    }
    // A failed execution's trace and profile are worth as much as a successful one's.
    if (trace) {
      trace->write(*options.trace);
    }
    if (profile) {
      std::fputs(profile_report(*profile, executor.context_pool()).c_str(), stderr);
    }
    return exit_code;
  } catch (...) {
    return report_exception(std::current_exception());
  }
}

}  // namespace

Command add_run_command(CLI::App& parent) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* app = parent.add_subcommand("run", "Run a graph once and print the final context");
  app->footer(
      "Prints the final context as one JSON object on stdout: the input keys, every node's\n"
      "writes and each executed node's result under its id (skipped nodes are absent); for a\n"
      "graph with a result node (a GoRules JDM graph), that node's result.\n"
      "Exit code 0, 1 when the execution failed (stderr names the node), 2 for an invalid\n"
      "graph, input or arguments (stderr lists every problem, one a line).");
  app->add_option("graph", options->graph,
                  "Graph file (JSON, or YAML when named .yaml or .yml; - reads JSON from stdin)")
      ->required()
      ->type_name("FILE");
  app->add_option("--input,-i", options->input,
                  "Input: a JSON object, or @FILE.json holding one (@- reads stdin)")
      ->type_name("JSON|@FILE");
  app->add_option("--threads,-t", options->threads, "Worker threads (0: one per core)")
      ->type_name("N")
      ->check(CLI::Range(0, 1024));
  app->add_option("--trace", options->trace,
                  "Write a Chrome trace-event file (open in ui.perfetto.dev)")
      ->type_name("FILE");
  app->add_flag("--profile", options->profile,
                "Print per-node timings and pool/memory figures on stderr");
  app->add_flag("--pretty", options->pretty, "Indent the JSON output");
  app->add_option("--now", options->now,
                  "What ZEN's d() and isToday() take as now (JDM graphs), e.g. "
                  "2024-01-31T10:00:00Z")
      ->type_name("INSTANT");
  return {app, [options] { return run(*options); }};
}

}  // namespace lg::cli
