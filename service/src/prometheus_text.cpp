// /metrics in Prometheus' text exposition format 0.0.4: HELP and TYPE once per family, label
// values escaped, histogram buckets cumulative and ending in +Inf, counters ending in _total.

#include "service_state.hpp"

#include <logic_graph/memory/memory_metrics.hpp>

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace lg::service::detail {

namespace {

// A label value as the format wants it: backslash, double quote and newline escaped.
std::string label(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      escaped += '\\';
      escaped += c;
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

double seconds(std::uint64_t nanoseconds) {
  return static_cast<double>(nanoseconds) / 1e9;
}

// When the process started, in seconds since the epoch: from /proc (boot time plus the
// process's start in clock ticks), or `fallback` where /proc does not tell.
double process_start_seconds(std::chrono::system_clock::time_point fallback) {
  std::ifstream stat_file("/proc/self/stat");
  const std::string stat{std::istreambuf_iterator<char>(stat_file),
                         std::istreambuf_iterator<char>()};
  std::ifstream boot_file("/proc/stat");
  std::string line;
  double boot = 0;
  while (std::getline(boot_file, line)) {
    if (line.starts_with("btime ")) {
      boot = std::stod(line.substr(6));
    }
  }
  // The command name may hold spaces: fields are counted after its closing parenthesis, where
  // field 3 (state) starts; starttime is field 22.
  const std::size_t close = stat.rfind(')');
  if (boot > 0 && close != std::string::npos) {
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i < 22 && fields >> field; ++i) {
    }
    unsigned long long ticks = 0;
    if (fields >> ticks) {
      return boot + static_cast<double>(ticks) / 100.0;  // USER_HZ is 100 on Linux
    }
  }
  return std::chrono::duration<double>(fallback.time_since_epoch()).count();
}

void write_graphs(std::string& out, const ServiceState& state) {
  const auto graphs = state.metrics.graphs.all();
  family(out, "lgraph_executions_total", "counter", "Executions started, by graph.");
  for (const auto& [name, metrics] : graphs) {
    out += fmt::format("lgraph_executions_total{{graph=\"{}\"}} {}\n", label(name),
                       metrics->executions.load());
  }
  family(out, "lgraph_executions_failed_total", "counter",
         "Executions that failed (node failure, deadline, budget, cancellation), by graph.");
  for (const auto& [name, metrics] : graphs) {
    out += fmt::format("lgraph_executions_failed_total{{graph=\"{}\"}} {}\n", label(name),
                       metrics->failed.load());
  }
  family(out, "lgraph_execution_duration_seconds", "histogram",
         "Execution latency as the service saw it, by graph.");
  for (const auto& [name, metrics] : graphs) {
    const std::string graph = label(name);
    const auto buckets = metrics->latency.buckets();
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < latency_bounds_seconds.size(); ++i) {
      cumulative += buckets[i];
      out += fmt::format("lgraph_execution_duration_seconds_bucket{{graph=\"{}\",le=\"{}\"}} {}\n",
                         graph, latency_bounds_seconds[i], cumulative);
    }
    cumulative += buckets.back();
    out += fmt::format(
        "lgraph_execution_duration_seconds_bucket{{graph=\"{}\",le=\"+Inf\"}} {}\n"
        "lgraph_execution_duration_seconds_sum{{graph=\"{}\"}} {}\n"
        "lgraph_execution_duration_seconds_count{{graph=\"{}\"}} {}\n",
        graph, cumulative, graph, seconds(metrics->latency.sum_nanoseconds()), graph, cumulative);
  }

  std::vector<std::pair<std::string,
                        std::vector<std::pair<std::string, std::shared_ptr<const NodeCounters>>>>>
      nodes;
  for (const auto& [name, metrics] : graphs) {
    nodes.emplace_back(label(name), metrics->nodes.all());
  }
  const auto node_family = [&](std::string_view name, std::string_view help, auto value) {
    family(out, name, "counter", help);
    for (const auto& [graph, counters] : nodes) {
      for (const auto& [node, figures] : counters) {
        out += fmt::format("{}{{graph=\"{}\",node=\"{}\"}} {}\n", name, graph, label(node),
                           value(*figures));
      }
    }
  };
  node_family("lgraph_node_runs_total", "Node runs, by graph and node.",
              [](const NodeCounters& c) { return c.runs.load(); });
  node_family("lgraph_node_failures_total", "Node runs that failed, by graph and node.",
              [](const NodeCounters& c) { return c.failures.load(); });
  node_family("lgraph_node_duration_seconds_total", "Time spent in node runs, by graph and node.",
              [](const NodeCounters& c) { return seconds(c.nanoseconds.load()); });
}

}  // namespace

std::string prometheus_text(const ServiceState& state) {
  std::string out;
  out.reserve(8192);
  write_graphs(out, state);

  family(out, "lgraph_executions_in_flight", "gauge", "Executions started and not completed.");
  out += fmt::format("lgraph_executions_in_flight {}\n", state.runtime->in_flight());
  family(out, "lgraph_rejections_total", "counter", "Requests refused without running, by reason.");
  for (std::size_t i = 0; i < rejection_names.size(); ++i) {
    out += fmt::format("lgraph_rejections_total{{reason=\"{}\"}} {}\n", rejection_names[i],
                       state.metrics.rejections(static_cast<Rejection>(i)));
  }

  const PoolStats pool = state.runtime->context_pool().stats();
  family(out, "lgraph_context_pool_size", "gauge", "Idle contexts held by the pool.");
  out += fmt::format("lgraph_context_pool_size {}\n", pool.current_pool_size);
  family(out, "lgraph_context_pool_reuse_ratio", "gauge",
         "Share of context acquisitions served by reuse (0 to 1).");
  out += fmt::format("lgraph_context_pool_reuse_ratio {}\n", pool.reuse_rate() / 100.0);
  family(out, "lgraph_context_pool_created_total", "counter", "Contexts the pool had to create.");
  out += fmt::format("lgraph_context_pool_created_total {}\n", pool.created);
  family(out, "lgraph_context_pool_reused_total", "counter", "Acquisitions served by reuse.");
  out += fmt::format("lgraph_context_pool_reused_total {}\n", pool.reused);

  const memory::MemoryMetrics& memory = memory::global_metrics();
  family(out, "lgraph_memory_bytes", "gauge",
         "Heap bytes in use (measured with the counting target, else as recorded).");
  out += fmt::format("lgraph_memory_bytes {}\n", memory.current_bytes());
  family(out, "lgraph_memory_peak_bytes", "gauge", "Highest heap bytes in use seen.");
  out += fmt::format("lgraph_memory_peak_bytes {}\n", memory.peak_bytes());

  static const double started = process_start_seconds(state.started);
  family(out, "process_start_time_seconds", "gauge",
         "Start time of the process since the Unix epoch in seconds.");
  out += fmt::format("process_start_time_seconds {}\n", started);
  return out;
}

}  // namespace lg::service::detail
