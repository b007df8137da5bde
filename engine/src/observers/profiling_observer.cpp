#include <logic_graph/engine/observers/profiling_observer.hpp>

#include <logic_graph/memory/memory_metrics.hpp>
#include "observers/latency_histogram.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <functional>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace lg {
namespace {

struct NodeFigures {
  std::string type;
  std::uint64_t failures = 0;
  std::uint64_t allocations = 0;
  std::uint64_t counted_runs = 0;  // runs whose allocations were counted
  detail::LatencyHistogram latency;
  std::map<std::string, std::uint64_t, std::less<>> notes;
};

struct Hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

double micros(std::chrono::nanoseconds duration) {
  return static_cast<double>(duration.count()) / 1e3;
}

}  // namespace

struct ProfilingObserver::State {
  mutable std::mutex mutex;
  std::unordered_map<std::string, NodeFigures, Hash, std::equal_to<>> nodes;
  std::vector<std::string> order;
  detail::LatencyHistogram executions;
  std::uint64_t failed_executions = 0;
  std::uint64_t pool_acquired = 0;
  std::uint64_t pool_reused = 0;

  NodeFigures& figures(std::string_view id);
};

ProfilingObserver::ProfilingObserver() : state_(std::make_unique<State>()) {}
ProfilingObserver::~ProfilingObserver() = default;

// The figures of `id`, new ones on its first appearance (the caller holds the mutex).
NodeFigures& ProfilingObserver::State::figures(std::string_view id) {
  auto found = nodes.find(id);
  if (found == nodes.end()) {
    found = nodes.emplace(std::string(id), NodeFigures{}).first;
    order.emplace_back(id);
  }
  return found->second;
}

void ProfilingObserver::on_node_note(const NodeNote& note) {
  std::lock_guard guard(state_->mutex);
  NodeFigures& figures = state_->figures(note.node_id);
  const auto found = figures.notes.find(note.what);
  if (found == figures.notes.end()) {
    figures.notes.emplace(std::string(note.what), 1);
  } else {
    ++found->second;
  }
}

void ProfilingObserver::on_node_end(const NodeEvent& event) {
  if (event.status == NodeStatus::not_run) {
    return;  // stopped before it ran: not a run
  }
  std::lock_guard guard(state_->mutex);
  NodeFigures& figures = state_->figures(event.node_id);
  if (figures.type.empty()) {
    figures.type = event.node_type;  // a node whose notes came first
  }
  figures.latency.add(event.duration);
  if (event.allocations) {
    figures.allocations += *event.allocations;
    ++figures.counted_runs;
  }
  figures.failures += event.status == NodeStatus::failed ? 1 : 0;
}

void ProfilingObserver::on_execution_end(const ExecutionEvent& event) {
  std::lock_guard guard(state_->mutex);
  state_->executions.add(event.duration);
  state_->failed_executions += event.succeeded ? 0 : 1;
  state_->pool_acquired = event.pool_acquired;
  state_->pool_reused = event.pool_reused;
}

ProfilingObserver::Report ProfilingObserver::report() const {
  Report report;
  {
    std::lock_guard guard(state_->mutex);
    for (const std::string& id : state_->order) {
      const NodeFigures& figures = state_->nodes.at(id);
      report.nodes.push_back({.id = id,
                              .type = figures.type,
                              .count = figures.latency.count(),
                              .failures = figures.failures,
                              .total = figures.latency.total(),
                              .p50 = figures.latency.percentile(0.5),
                              .p99 = figures.latency.percentile(0.99),
                              .max = figures.latency.max(),
                              .allocations = figures.counted_runs != 0
                                                 ? std::optional(figures.allocations)
                                                 : std::nullopt,
                              .notes = {figures.notes.begin(), figures.notes.end()}});
    }
    report.executions = state_->executions.count();
    report.failed_executions = state_->failed_executions;
    report.latency_p50 = state_->executions.percentile(0.5);
    report.latency_p99 = state_->executions.percentile(0.99);
    report.latency_max = state_->executions.max();
    report.pool_reuse_rate = state_->pool_acquired == 0
                                 ? 0.0
                                 : 100.0 * static_cast<double>(state_->pool_reused) /
                                       static_cast<double>(state_->pool_acquired);
  }
  const memory::MemoryMetrics& metrics = memory::global_metrics();
  report.memory_current_bytes = metrics.current_bytes();
  report.memory_peak_bytes = metrics.peak_bytes();
  return report;
}

std::string ProfilingObserver::format() const {
  const Report r = report();
  std::size_t type_width = 10;  // as wide as the longest type (`decisionTableNode`)
  for (const NodeProfile& node : r.nodes) {
    type_width = std::max(type_width, node.type.size());
  }
  std::string text =
      fmt::format("{:<24} {:<{}} {:>8} {:>12} {:>10} {:>10} {:>12}\n", "node", "type", type_width,
                  "count", "total ms", "p50 us", "p99 us", "allocations");
  for (const NodeProfile& node : r.nodes) {
    text += fmt::format("{:<24} {:<{}} {:>8} {:>12.3f} {:>10.1f} {:>10.1f} {:>12}\n", node.id,
                        node.type, type_width, node.count, micros(node.total) / 1e3,
                        micros(node.p50), micros(node.p99),
                        node.allocations ? std::to_string(*node.allocations) : std::string("-"));
  }
  for (const NodeProfile& node : r.nodes) {
    if (node.notes.empty()) {
      continue;
    }
    text += fmt::format("{}:", node.id);
    for (const auto& [what, count] : node.notes) {
      text += fmt::format(" {} {}", what, count);
    }
    text += "\n";
  }
  text += fmt::format(
      "executions: {} ({} failed), latency p50 {:.1f} us, p99 {:.1f} us, max {:.1f} us\n",
      r.executions, r.failed_executions, micros(r.latency_p50), micros(r.latency_p99),
      micros(r.latency_max));
  text += fmt::format("context pool reuse: {:.2f}%\n", r.pool_reuse_rate);
  text += fmt::format("memory: current {} bytes, peak {} bytes\n", r.memory_current_bytes,
                      r.memory_peak_bytes);
  return text;
}

}  // namespace lg
