#include <logic_graph/engine/observers/trace_observer.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lg {
namespace {

using Clock = std::chrono::steady_clock;

struct Event {
  std::string name;
  std::string category;
  Clock::time_point start;
  std::chrono::nanoseconds duration;
  std::size_t track;
  std::uint64_t execution;
  NodeStatus status;
  std::string error;
};

double micros(std::chrono::nanoseconds duration) {
  return static_cast<double>(duration.count()) / 1e3;
}

}  // namespace

struct TraceObserver::State {
  explicit State(std::size_t limit) : max_events(limit) {}
  mutable std::mutex mutex;
  std::size_t max_events;
  std::size_t dropped = 0;
  Clock::time_point origin = Clock::now();
  std::vector<Event> events;
  std::map<std::thread::id, std::size_t> tracks;  // worker thread -> track number
  std::vector<Event> executions;

  std::size_t track_of_this_thread() {
    return tracks.try_emplace(std::this_thread::get_id(), tracks.size() + 1).first->second;
  }
  bool full() {
    if (events.size() + executions.size() < max_events) {
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
  std::lock_guard guard(state_->mutex);
  if (state_->full()) {
    return;
  }
  state_->events.push_back({std::string(event.node_id), std::string(event.node_type), event.start,
                            event.duration, state_->track_of_this_thread(), event.execution_id,
                            event.status, std::string(event.error)});
}

void TraceObserver::on_execution_end(const ExecutionEvent& event) {
  std::lock_guard guard(state_->mutex);
  if (state_->full()) {
    return;
  }
  // Executions get a track of their own (0), so that their spans do not hide node spans.
  state_->executions.push_back({"execution " + std::to_string(event.execution_id), "execution",
                                event.time - event.duration, event.duration, 0, event.execution_id,
                                event.succeeded ? NodeStatus::executed : NodeStatus::failed,
                                std::string(event.error)});
}

nlohmann::json TraceObserver::to_json() const {
  std::lock_guard guard(state_->mutex);
  nlohmann::json events = nlohmann::json::array();
  const auto add = [&](const Event& event) {
    nlohmann::json args = {{"execution", event.execution},
                           {"status", std::string(to_string(event.status))}};
    if (!event.error.empty()) {
      args["error"] = event.error;
    }
    events.push_back({{"name", event.name},
                      {"cat", event.category},
                      {"ph", "X"},
                      {"ts", micros(event.start - state_->origin)},
                      {"dur", micros(event.duration)},
                      {"pid", 1},
                      {"tid", event.track},
                      {"args", std::move(args)}});
  };
  events.push_back({{"name", "thread_name"},
                    {"ph", "M"},
                    {"pid", 1},
                    {"tid", 0},
                    {"args", {{"name", "executions"}}}});
  for (const auto& [thread, track] : state_->tracks) {
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"tid", track},
                      {"args", {{"name", "worker " + std::to_string(track)}}}});
  }
  for (const Event& event : state_->executions) {
    add(event);
  }
  for (const Event& event : state_->events) {
    add(event);
  }
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ns"},
          {"otherData", {{"dropped_events", state_->dropped}}}};
}

void TraceObserver::write(const std::filesystem::path& file) const {
  const std::string text = to_json().dump();
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out || !(out << text) || !out.flush()) {
    throw std::runtime_error("cannot write the trace to '" + file.string() + "'");
  }
}

std::size_t TraceObserver::size() const {
  std::lock_guard guard(state_->mutex);
  return state_->events.size() + state_->executions.size();
}

std::size_t TraceObserver::dropped() const {
  std::lock_guard guard(state_->mutex);
  return state_->dropped;
}

}  // namespace lg
