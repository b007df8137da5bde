#include <logic_graph/engine/node/node_scope.hpp>

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/node/node.hpp>
#include <logic_graph/engine/node/node_error.hpp>

#include "context/context_versions.hpp"
#include "exec/executor_core.hpp"

#include <algorithm>

namespace lg {

NodeScope::NodeScope(detail::ExecutionState& state, std::string_view node_id, Context& writes,
                     std::vector<std::string>* reads) noexcept
    : state_(&state),
      context_(state.context.get()),
      writes_(&writes),
      node_id_(node_id),
      reads_(reads) {}

NodeScope::NodeScope(NodeScope& parent) noexcept
    : state_(parent.state_),
      context_(parent.context_),
      snapshot_(parent.snapshot()),
      writes_(nullptr),
      parent_(&parent),
      node_id_(parent.node_id_),
      reads_(parent.reads_) {}

NodeScope::NodeScope(NodeScope&& other) noexcept
    : state_(other.state_),
      context_(other.context_),
      snapshot_(other.snapshot_),
      writes_(other.writes_),
      parent_(other.parent_),
      own_(std::move(other.own_)),
      node_id_(other.node_id_),
      reads_(other.reads_),
      kept_(std::move(other.kept_)),
      kept_type_(other.kept_type_) {
  other.writes_ = nullptr;  // a leased buffer moved with the lease; the context itself did not
}

NodeScope::~NodeScope() = default;

std::uint32_t NodeScope::snapshot() const noexcept {
  if (snapshot_ == no_snapshot) {
    snapshot_ = detail::ContextVersions::published(*context_);
  }
  return snapshot_;
}

const nlohmann::json* NodeScope::get(std::string_view key) const noexcept {
  for (const NodeScope* scope = this; scope != nullptr; scope = scope->parent_) {
    if (scope->writes_ != nullptr) {
      if (const nlohmann::json* own = scope->writes_->get(key)) {
        return own;
      }
    }
  }
  return detail::ContextVersions::find(*context_, key, 0, snapshot());
}

const nlohmann::json* NodeScope::find(std::string_view key) const noexcept {
  if (reads_ != nullptr) {
    try {
      if (std::find(reads_->begin(), reads_->end(), key) == reads_->end()) {
        reads_->emplace_back(key);
      }
    } catch (...) {
      // Out of memory: the trace misses a key, the node still reads it.
    }
  }
  return get(key);
}

nlohmann::json NodeScope::read(std::string_view key) const {
  const nlohmann::json* value = find(key);
  return value != nullptr ? *value : nlohmann::json();
}

nlohmann::json NodeScope::evaluate(const Expression& expression) const {
  return expression.evaluate(static_cast<const KeyLookup&>(*this));
}

bool NodeScope::test(const Expression& expression) const {
  return expression.test(static_cast<const KeyLookup&>(*this));
}

void NodeScope::set(std::string_view key, nlohmann::json value) {
  if (writes_ == nullptr) {
    own_ = state_->core->runtime_state().contexts().acquire();  // a nested scope's first write
    writes_ = own_.get();
  }
  writes_->set(key, std::move(value));
}

const Context& NodeScope::writes() const noexcept {
  static const Context none;
  return writes_ != nullptr ? *writes_ : none;
}

std::uint64_t NodeScope::execution_id() const noexcept {
  return state_->id;
}

NodeScope NodeScope::nested() {
  return NodeScope(*this);
}

void NodeScope::commit() {
  if (parent_ == nullptr) {
    return;
  }
  if (kept_type_ != nullptr) {
    parent_->keep_erased(std::move(kept_), kept_type_);
    kept_type_ = nullptr;
  }
  if (writes_ == nullptr || writes_->empty()) {
    return;
  }
  if (parent_->writes_ == nullptr) {
    parent_->own_ = state_->core->runtime_state().contexts().acquire();
    parent_->writes_ = parent_->own_.get();
  }
  parent_->writes_->take_all(*writes_);
}

boost::asio::awaitable<nlohmann::json> NodeScope::run(const Node& inner) {
  try {
    NodeRun started = inner.start(*this);
    if (started.ready()) {
      co_return std::move(started).value();
    }
    co_return co_await std::move(started).wait();
  } catch (...) {
    throw to_node_error(std::current_exception(), inner.id());
  }
}

void NodeScope::keep_erased(std::shared_ptr<const void> value, const void* type) noexcept {
  kept_ = std::move(value);
  kept_type_ = type;
}

GraphRun NodeScope::start_graph(const Executor& graph, nlohmann::json input) const {
  return graph.core().start_child(std::move(input), *state_);
}

boost::asio::awaitable<ExecutionResult> NodeScope::run_graph(const Executor& graph,
                                                             nlohmann::json input) const {
  co_return co_await start_graph(graph, std::move(input)).wait();
}

void NodeScope::note(std::string_view what, std::int64_t value,
                     std::string_view detail) const noexcept {
  if (state_->observed) {
    state_->core->note(*state_, {.execution_id = state_->id,
                                 .node_id = node_id_,
                                 .what = what,
                                 .value = value,
                                 .detail = detail,
                                 .time = std::chrono::steady_clock::now()});
  }
}

bool NodeScope::stop_requested() const noexcept {
  if (state_->stopped.load(std::memory_order_acquire)) {
    return true;
  }
  if (state_->deadline_by_clock && state_->core->deadline_due(*state_)) {
    return true;
  }
  const std::atomic<bool>* parent = state_->parent_stopped.load(std::memory_order_acquire);
  return parent != nullptr && parent->load(std::memory_order_acquire);
}

Runtime& NodeScope::runtime() const noexcept {
  return state_->core->runtime();
}

const boost::asio::any_io_executor& NodeScope::executor() const noexcept {
  return state_->core->executor();
}

}  // namespace lg
