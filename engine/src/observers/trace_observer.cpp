#include <logic_graph/engine/observers/trace_observer.hpp>

#include "observers/trace_tracks.hpp"

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace lg {
namespace {

using Clock = std::chrono::steady_clock;

struct NodeRecord {
  std::string id;
  std::string type;
  Clock::time_point start;
  std::chrono::nanoseconds duration;
  NodeStatus status;
  std::string error;
};

struct ExecutionRecord {
  std::string graph;
  Clock::time_point start;
  std::chrono::nanoseconds duration{0};
  bool ended = false;
  bool succeeded = true;
  std::uint64_t parent = 0;
  std::string error;
  std::vector<NodeRecord> nodes;
};

}  // namespace

struct TraceObserver::State {
  explicit State(std::size_t limit) : max_events(limit) {}
  mutable std::mutex mutex;
  std::size_t max_events;
  std::size_t events = 0;
  std::size_t dropped = 0;
  Clock::time_point origin = Clock::now();
  std::map<std::uint64_t, ExecutionRecord> executions;  // by id: ids grow with time

  bool full() {
    if (events < max_events) {
      ++events;
      return false;
    }
    ++dropped;
    return true;
  }
};

TraceObserver::TraceObserver(std::size_t max_events)
    : state_(std::make_unique<State>(max_events)) {}
TraceObserver::~TraceObserver() = default;

void TraceObserver::on_node_end(const NodeEvent& event) {
  if (event.status == NodeStatus::not_run) {
    return;  // stopped before it ran: no slice to draw
  }
  std::lock_guard guard(state_->mutex);
  if (state_->full()) {
    return;
  }
  state_->executions[event.execution_id].nodes.push_back(
      {std::string(event.node_id), std::string(event.node_type), event.start, event.duration,
       event.status, std::string(event.error)});
}

void TraceObserver::on_execution_end(const ExecutionEvent& event) {
  std::lock_guard guard(state_->mutex);
  if (state_->full()) {
    return;
  }
  ExecutionRecord& record = state_->executions[event.execution_id];
  record.graph = std::string(event.graph_name);
  record.start = event.time - event.duration;
  record.duration = event.duration;
  record.ended = true;
  record.succeeded = event.succeeded;
  record.parent = event.parent_execution_id;
  record.error = std::string(event.error);
}

nlohmann::json TraceObserver::to_json() const {
  std::lock_guard guard(state_->mutex);
  const Clock::time_point origin = state_->origin;
  // Whole microseconds, every time rounded down: rounding that keeps order keeps a slice inside
  // its span and after the one before it (rounding ends up made neighbours within one
  // microsecond overlap), and the packing below sees the intervals a viewer will. A node
  // shorter than a microsecond may show as 0; its args keep the nanoseconds.
  const auto micros = [&](Clock::time_point time) {
    return static_cast<std::int64_t>(
        std::chrono::floor<std::chrono::microseconds>(time - origin).count());
  };

  std::vector<detail::TraceGroup> groups;
  groups.reserve(state_->executions.size());
  std::vector<const ExecutionRecord*> records;
  for (const auto& [id, record] : state_->executions) {
    detail::TraceGroup group;
    group.key = id;
    if (record.ended) {
      group.span =
          detail::TraceInterval{micros(record.start), micros(record.start + record.duration)};
    }
    for (const NodeRecord& node : record.nodes) {
      group.members.push_back({micros(node.start), micros(node.start + node.duration)});
    }
    groups.push_back(std::move(group));
    records.push_back(&record);
  }
  const detail::TracePlacement placement = detail::place_on_tracks(groups);

  nlohmann::json events = nlohmann::json::array();
  for (std::size_t track = 0; track < placement.track_count; ++track) {
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"tid", track + 1},
                      {"args", {{"name", "track " + std::to_string(track + 1)}}}});
  }
  const auto slice = [&](const std::string& name, const char* category,
                         const detail::TraceInterval& at, std::size_t track, nlohmann::json args) {
    events.push_back({{"name", name},
                      {"cat", category},
                      {"ph", "X"},
                      {"ts", at.start},
                      {"dur", at.end - at.start},
                      {"pid", 1},
                      {"tid", track + 1},
                      {"args", std::move(args)}});
  };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const ExecutionRecord& record = *records[g];
    const std::uint64_t id = groups[g].key;
    if (groups[g].span) {
      nlohmann::json args = {{"execution", id}, {"succeeded", record.succeeded}};
      if (record.parent != 0) {
        args["parent_execution"] = record.parent;
      }
      if (!record.error.empty()) {
        args["error"] = record.error;
      }
      slice(record.graph.empty() ? "execution " + std::to_string(id)
                                 : record.graph + " #" + std::to_string(id),
            "execution", *groups[g].span, placement.span_track[g], std::move(args));
    }
    for (std::size_t n = 0; n < record.nodes.size(); ++n) {
      const NodeRecord& node = record.nodes[n];
      nlohmann::json args = {{"execution", id},
                             {"status", std::string(to_string(node.status))},
                             {"duration_ns", node.duration.count()}};
      if (!node.error.empty()) {
        args["error"] = node.error;
      }
      slice(node.id, node.type.c_str(), groups[g].members[n], placement.member_track[g][n],
            std::move(args));
    }
  }
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ns"},
          {"otherData", {{"dropped_events", state_->dropped}}}};
}

void TraceObserver::write(const std::filesystem::path& file) const {
  // Text from nodes (error messages) need not be valid UTF-8: written replaced, not refused.
  const std::string text = to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out || !(out << text) || !out.flush()) {
    throw std::runtime_error("cannot write the trace to '" + file.string() + "'");
  }
}

std::size_t TraceObserver::size() const {
  std::lock_guard guard(state_->mutex);
  return state_->events;
}

std::size_t TraceObserver::dropped() const {
  std::lock_guard guard(state_->mutex);
  return state_->dropped;
}

}  // namespace lg
