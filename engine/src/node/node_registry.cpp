#include <logic_graph/engine/node/node_registry.hpp>

#include <logic_graph/engine/exec/executor.hpp>

namespace lg {

NodeBuild::NodeBuild(const NodeDef& def, const NodeRegistry& registry) noexcept
    : def_(def), registry_(registry) {}

NodeBuild::NodeBuild(const NodeDef& def, const NodeRegistry& registry, const GraphDef* graph,
                     std::shared_ptr<Runtime> runtime, std::string where, const void* ids,
                     IdLookup lookup) noexcept
    : def_(def),
      registry_(registry),
      graph_(graph),
      runtime_(std::move(runtime)),
      where_(std::move(where)),
      ids_(ids),
      lookup_(lookup) {}

bool NodeBuild::is_node_id(std::string_view id) const noexcept {
  if (lookup_ != nullptr) {
    return lookup_(ids_, id);
  }
  return graph_ != nullptr && graph_->find_node(id) != nullptr;
}

std::unique_ptr<Node> NodeBuild::create_inner(const nlohmann::json& config,
                                              std::string_view field) const {
  const std::string path(field);
  if (!config.is_object()) {
    throw ConfigError(
        path, std::string("must be a node (an object with 'type'), found ") + config.type_name());
  }
  const auto type = config.find("type");
  if (type == config.end()) {
    throw ConfigError(path + ".type", "missing");
  }
  if (!type->is_string() || type->get_ref<const std::string&>().empty()) {
    throw ConfigError(path + ".type", "must be a node type name");
  }
  NodeDef inner{def_.id, type->get<std::string>(), nlohmann::json::object()};
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (it.key() == "id") {
      throw ConfigError(path + ".id", "not allowed: an inner node shares its wrapper's id");
    }
    if (it.key() != "type") {
      inner.config[it.key()] = it.value();
    }
  }
  if (!registry_.contains(inner.type)) {
    throw ConfigError(path + ".type", "unknown node type '" + inner.type + "'");
  }
  try {
    return registry_.create(NodeBuild(inner, registry_, graph_, runtime_,
                                      where_ + " (in field '" + path + "')", ids_, lookup_));
  } catch (const ConfigError& e) {
    throw ConfigError(e.field().empty() ? path : path + "." + e.field(), e.reason());
  }
}

std::shared_ptr<Executor> NodeBuild::compile(const GraphDef& graph, std::string_view field) const {
  if (!runtime_) {
    throw ConfigError(std::string(field),
                      "a child graph needs a runtime: build the node through an Executor");
  }
  try {
    return std::make_shared<Executor>(graph, registry_, ExecutorOptions{.runtime = runtime_});
  } catch (const GraphError& e) {
    std::string reasons;
    for (const Diagnostic& problem : e.diagnostics()) {
      reasons += reasons.empty() ? "" : "; ";
      reasons += problem.to_string();
    }
    throw ConfigError(std::string(field), "invalid graph: " + reasons);
  }
}

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

NodeRegistry& NodeRegistry::add(std::string type, SimpleNodeFactory factory) {
  if (!factory) {
    throw std::invalid_argument("node type '" + type + "': the factory is empty");
  }
  return add(std::move(type), NodeFactory([simple = std::move(factory)](const NodeBuild& build) {
               return simple(build.def());
             }));
}

bool NodeRegistry::contains(std::string_view type) const noexcept {
  return factories_.find(type) != factories_.end();
}

std::unique_ptr<Node> NodeRegistry::create(const NodeBuild& build) const {
  const NodeDef& def = build.def();
  const auto found = factories_.find(def.type);
  if (found == factories_.end()) {
    throw std::out_of_range("unknown node type '" + def.type + "'");
  }
  auto node = found->second(build);
  if (!node) {
    throw ConfigError("", "the factory of type '" + def.type + "' returned no node");
  }
  return node;
}

std::unique_ptr<Node> NodeRegistry::create(const NodeDef& def) const {
  return create(NodeBuild(def, *this));
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
