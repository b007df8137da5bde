#include <logic_graph/engine/node/node.hpp>

#include <shared_mutex>

namespace lg {

const nlohmann::json* NodeScope::get(std::string_view key) const noexcept {
  if (const nlohmann::json* own = writes_.get(key)) {
    return own;
  }
  return context_.get(key);
}

nlohmann::json NodeScope::read(std::string_view key) const {
  if (const nlohmann::json* own = writes_.get(key)) {
    return *own;
  }
  if (locked_by_caller_) {
    const nlohmann::json* value = context_.get(key);
    return value != nullptr ? *value : nlohmann::json();
  }
  std::shared_lock lock(lock_);
  const nlohmann::json* value = context_.get(key);
  return value != nullptr ? *value : nlohmann::json();
}

}  // namespace lg
