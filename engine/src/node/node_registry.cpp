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

NodeRegistry& NodeRegistry::replace(std::string type, NodeFactory factory) {
  if (!factory) {
    throw std::invalid_argument("node type '" + type + "': the factory is empty");
  }
  factories_.insert_or_assign(std::move(type), std::move(factory));
  return *this;
}

bool NodeRegistry::contains(std::string_view type) const noexcept {
  return factories_.find(type) != factories_.end();
}

NodeRegistry& NodeRegistry::add_wrapper_field(std::string field, std::string wrapper_type,
                                              std::string value_field) {
  for (const WrapperField& known : wrapper_fields_) {
    if (known.field == field) {
      throw std::invalid_argument("wrapper field '" + field + "' is already registered");
    }
  }
  wrapper_fields_.push_back({std::move(field), std::move(wrapper_type), std::move(value_field)});
  return *this;
}

// A node with wrapper fields becomes the nest of wrappers they name around the node without
// them: {type: T, retry: R, timeout_ms: 50, ...} -> {type: retry, ...R, node: {type: timeout,
// ms: 50, node: {type: T, ...}}}. Config errors are named as the user wrote them.
std::unique_ptr<Node> NodeRegistry::create_wrapped(const NodeBuild& build) const {
  const NodeDef& def = build.def();
  // The node's own config (the wrapper fields taken out), then the nest built around it.
  nlohmann::json config = def.config;
  std::vector<std::pair<const WrapperField*, nlohmann::json>> used;  // outermost first
  for (const WrapperField& wrapper : wrapper_fields_) {
    if (claims_field(def.type, wrapper.field)) {
      continue;
    }
    if (const auto value = config.find(wrapper.field); value != config.end()) {
      used.emplace_back(&wrapper, std::move(*value));
      config.erase(value);
    }
  }
  config["type"] = def.type;
  for (auto it = used.rbegin(); it != used.rend(); ++it) {
    const WrapperField& wrapper = *it->first;
    nlohmann::json& value = it->second;
    nlohmann::json level = nlohmann::json::object();
    if (!wrapper.value_field.empty()) {
      level[wrapper.value_field] = std::move(value);
    } else if (value.is_object()) {
      level = std::move(value);
      if (level.contains("node") || level.contains("type")) {
        throw ConfigError(wrapper.field + (level.contains("node") ? ".node" : ".type"),
                          "not allowed: the node carrying the field is the wrapped one");
      }
    } else {
      throw ConfigError(wrapper.field, std::string("must be an object (the ") + wrapper.type +
                                           " wrapper's config), found " + value.type_name());
    }
    level["node"] = std::move(config);
    level["type"] = wrapper.type;
    config = std::move(level);
  }
  config.erase("type");  // the outermost wrapper's: the definition says it
  const NodeDef outer{def.id, used.front().first->type, std::move(config)};
  try {
    return create(build.for_def(outer));
  } catch (const ConfigError& e) {
    // "node." once per wrapper level: at the node's own level, its own field; above, that
    // wrapper's.
    std::string_view field = e.field();
    std::size_t level = 0;
    while (level < used.size() && field.substr(0, 5) == "node.") {
      field.remove_prefix(5);
      ++level;
    }
    if (level == used.size()) {
      throw ConfigError(std::string(field), e.reason());
    }
    const WrapperField& wrapper = *used[level].first;
    if (!wrapper.value_field.empty() && field == wrapper.value_field) {
      throw ConfigError(wrapper.field, e.reason());
    }
    throw ConfigError(field.empty() ? wrapper.field : wrapper.field + "." + std::string(field),
                      e.reason());
  }
}

std::unique_ptr<Node> NodeRegistry::create(const NodeBuild& build) const {
  const NodeDef& def = build.def();
  for (const WrapperField& wrapper : wrapper_fields_) {
    if (def.config.contains(wrapper.field) && !claims_field(def.type, wrapper.field)) {
      return create_wrapped(build);
    }
  }
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

NodeRegistry& NodeRegistry::claim_concurrency(std::string type) {
  concurrency_claims_.insert(std::move(type));
  return *this;
}

bool NodeRegistry::claims_concurrency(std::string_view type) const noexcept {
  return concurrency_claims_.find(type) != concurrency_claims_.end();
}

NodeRegistry& NodeRegistry::claim_field(std::string type, std::string field) {
  field_claims_.emplace(std::move(type), std::move(field));
  return *this;
}

bool NodeRegistry::claims_field(std::string_view type, std::string_view field) const noexcept {
  return !field_claims_.empty() && field_claims_.find(std::pair<std::string, std::string>(
                                       type, field)) != field_claims_.end();
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
