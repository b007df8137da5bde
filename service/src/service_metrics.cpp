#include "service_metrics.hpp"

#include <algorithm>

namespace lg::service::detail {

void LatencyHistogram::observe(std::chrono::nanoseconds duration) noexcept {
  const double seconds = std::chrono::duration<double>(duration).count();
  const auto bound =
      std::lower_bound(latency_bounds_seconds.begin(), latency_bounds_seconds.end(), seconds);
  counts_[static_cast<std::size_t>(bound - latency_bounds_seconds.begin())].fetch_add(
      1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 0)),
                    std::memory_order_relaxed);
}

std::array<std::uint64_t, latency_bounds_seconds.size() + 1> LatencyHistogram::buckets()
    const noexcept {
  std::array<std::uint64_t, latency_bounds_seconds.size() + 1> counts{};
  for (std::size_t i = 0; i < counts.size(); ++i) {
    counts[i] = counts_[i].load(std::memory_order_relaxed);
  }
  return counts;
}

NodeMetricsObserver::NodeMetricsObserver(GraphMetrics& metrics, const GraphDef& graph) {
  for (const NodeDef& node : graph.nodes) {
    nodes_.emplace(node.id, metrics.nodes.get(node.id));
  }
}

void NodeMetricsObserver::on_node_end(const NodeEvent& event) {
  const auto found = nodes_.find(event.node_id);
  if (found == nodes_.end() || event.status == NodeStatus::not_run) {
    return;  // a child graph's node, or one that a stop cut short
  }
  NodeCounters& counters = *found->second;
  counters.runs.fetch_add(1, std::memory_order_relaxed);
  if (event.status == NodeStatus::failed) {
    counters.failures.fetch_add(1, std::memory_order_relaxed);
  }
  counters.nanoseconds.fetch_add(static_cast<std::uint64_t>(event.duration.count()),
                                 std::memory_order_relaxed);
}

}  // namespace lg::service::detail
