#include <logic_graph/engine/node/node_registry.hpp>

namespace lg {

NodeRegistry& NodeRegistry::add(std::string type, NodeFactory factory) {
  if (!factory) {
    throw std::invalid_argument("node type '" + type + "': the factory is empty");
  }
  const auto [position, inserted] = factories_.emplace(type, std::move(factory));
  if (!inserted) {
    throw std::invalid_argument("node type '" + type + "' is already registered");
  }
  return *this;
}

bool NodeRegistry::contains(std::string_view type) const noexcept {
  return factories_.find(type) != factories_.end();
}

std::unique_ptr<Node> NodeRegistry::create(const NodeDef& def) const {
  const auto found = factories_.find(def.type);
  if (found == factories_.end()) {
    throw std::out_of_range("unknown node type '" + def.type + "'");
  }
  auto node = found->second(def);
  if (!node) {
    throw ConfigError("", "the factory of type '" + def.type + "' returned no node");
  }
  return node;
}

std::vector<std::string> NodeRegistry::types() const {
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto& [name, factory] : factories_) {
    names.push_back(name);
  }
  return names;
}

}  // namespace lg
