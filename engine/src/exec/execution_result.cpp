#include <logic_graph/engine/exec/execution_result.hpp>

#include "exec/execution_state.hpp"
#include "exec/executor_core.hpp"

#include <stdexcept>

namespace lg {

std::string_view to_string(NodeStatus status) noexcept {
  switch (status) {
    case NodeStatus::not_run:
      return "not_run";
    case NodeStatus::executed:
      return "executed";
    case NodeStatus::skipped:
      return "skipped";
    case NodeStatus::failed:
      return "failed";
  }
  return "unknown";
}

ExecutionResult::ExecutionResult(ExecutionResult&& other) noexcept
    : state_(std::exchange(other.state_, nullptr)) {}

ExecutionResult& ExecutionResult::operator=(ExecutionResult&& other) noexcept {
  if (this != &other) {
    reset();
    state_ = std::exchange(other.state_, nullptr);
  }
  return *this;
}

ExecutionResult::~ExecutionResult() {
  reset();
}

void ExecutionResult::reset() noexcept {
  if (state_ != nullptr) {
    detail::release_execution(*std::exchange(state_, nullptr));
  }
}

const Context& ExecutionResult::context() const noexcept {
  return *state_->context;
}

namespace detail {

const void* kept_value(const ExecutionState& state, std::string_view node_id,
                       const void* type) noexcept {
  const std::int64_t node = state.core->plan().find(node_id);
  if (node < 0) {
    return nullptr;
  }
  const KeptValue& kept = state.kept[static_cast<std::size_t>(node)];
  if (!kept.ready.load(std::memory_order_acquire) || kept.type != type) {
    return nullptr;
  }
  return kept.value.get();
}

}  // namespace detail

NodeStatus ExecutionResult::status(std::string_view node_id) const {
  const std::int64_t node = state_->core->plan().find(node_id);
  if (node < 0) {
    throw std::out_of_range("no node '" + std::string(node_id) + "' in the graph");
  }
  return state_->status[static_cast<std::size_t>(node)];
}

std::vector<std::string> ExecutionResult::nodes(NodeStatus status) const {
  std::vector<std::string> ids;
  const auto& plan = state_->core->plan();
  for (std::size_t i = 0; i < state_->node_count; ++i) {
    if (state_->status[i] == status) {
      ids.push_back(plan.nodes[i].node->id());
    }
  }
  return ids;
}

std::size_t ExecutionResult::count(NodeStatus status) const noexcept {
  std::size_t total = 0;
  for (std::size_t i = 0; i < state_->node_count; ++i) {
    total += state_->status[i] == status ? 1 : 0;
  }
  return total;
}

std::span<const NodeTrace> ExecutionResult::trace() const noexcept {
  return state_->trace;
}

std::uint64_t ExecutionResult::id() const noexcept {
  return state_->id;
}

namespace detail {

void release_execution(ExecutionState& state) noexcept {
  state.core->drop_ref(state);
}

}  // namespace detail
}  // namespace lg
