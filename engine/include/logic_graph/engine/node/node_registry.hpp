#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node.hpp>

#include <concepts>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lg {

class NodeRegistry;
class Executor;
class Runtime;

/// A node's config is wrong; names the field. Thrown by node factories, reported by the executor
/// with the node's place in the graph.
class ConfigError : public std::runtime_error {
 public:
  /// `reason` says what is wrong without naming the field; what() names it in front.
  ConfigError(std::string field, std::string reason)
      : std::runtime_error(field.empty() ? reason : "field '" + field + "': " + reason),
        field_(std::move(field)),
        reason_(std::move(reason)) {}
  /// The config field at fault (empty when the problem is the node as a whole); a nested
  /// node's fields are named by their path (`node.url`).
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  /// What is wrong with the field, for messages that name the field themselves.
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

/// What a node factory gets: the node's definition, and what it needs to build inner nodes,
/// child graphs and shared resources.
class NodeBuild {
 public:
  /// A build of `def` alone, outside any graph and runtime (NodeRegistry::create(def)).
  NodeBuild(const NodeDef& def, const NodeRegistry& registry) noexcept;
  /// Tells whether a string is the id of a node of the graph being built.
  using IdLookup = bool (*)(const void* ids, std::string_view id) noexcept;
  /// A build for an executor: `graph` is the graph the node belongs to (nullptr: none),
  /// `runtime` the one it will run on, `where` its place for messages; `ids` with `lookup`
  /// answer is_node_id() (a linear search of `graph` without them).
  NodeBuild(const NodeDef& def, const NodeRegistry& registry, const GraphDef* graph,
            std::shared_ptr<Runtime> runtime, std::string where, const void* ids = nullptr,
            IdLookup lookup = nullptr) noexcept;

  /// The node's id, type and config.
  [[nodiscard]] const NodeDef& def() const noexcept { return def_; }
  /// The registry building the node: for inner nodes of other types.
  [[nodiscard]] const NodeRegistry& registry() const noexcept { return registry_; }
  /// The graph the node belongs to, or nullptr.
  [[nodiscard]] const GraphDef* graph() const noexcept { return graph_; }
  /// The runtime the node will run on (nullptr for a build outside an executor).
  [[nodiscard]] const std::shared_ptr<Runtime>& runtime() const noexcept { return runtime_; }
  /// The node's place for messages, such as `flow.json: nodes[2] (id 'fetch')`.
  [[nodiscard]] const std::string& where() const noexcept { return where_; }
  /// True when `id` is the id of a node of the graph (a key a node writes there would overwrite
  /// that node's result).
  [[nodiscard]] bool is_node_id(std::string_view id) const noexcept;

  /// Builds the node that `config` (an object with `type` and that type's fields) describes,
  /// nested in field `field` of this node; it shares this node's id. A ConfigError names the
  /// field by its path (`field.inner_field`).
  [[nodiscard]] std::unique_ptr<Node> create_inner(const nlohmann::json& config,
                                                   std::string_view field) const;
  /// Compiles `graph` into an executor on this node's runtime with this registry, for nodes
  /// that run child graphs. Throws ConfigError naming `field` when the graph is invalid.
  [[nodiscard]] std::shared_ptr<Executor> compile(const GraphDef& graph,
                                                  std::string_view field) const;

 private:
  friend class NodeRegistry;
  // This build for another definition (a node rewritten with its wrapper fields).
  [[nodiscard]] NodeBuild for_def(const NodeDef& def) const noexcept {
    return NodeBuild(def, registry_, graph_, runtime_, where_, ids_, lookup_);
  }

  const NodeDef& def_;
  const NodeRegistry& registry_;
  const GraphDef* graph_ = nullptr;
  std::shared_ptr<Runtime> runtime_;
  std::string where_;
  const void* ids_ = nullptr;
  IdLookup lookup_ = nullptr;
};

/// Builds a node from its build context; checks the config and throws ConfigError when it is
/// wrong.
using NodeFactory = std::function<std::unique_ptr<Node>(const NodeBuild&)>;
/// The shape of a factory that needs only the definition.
using SimpleNodeFactory = std::function<std::unique_ptr<Node>(const NodeDef&)>;

/// Node types by their JSON `type` name.
///
/// @code
/// lg::NodeRegistry registry = lg::builtin_nodes();          // from nodes/
/// registry.add("greet", [](const lg::NodeDef& def) { return std::make_unique<Greet>(def); });
/// @endcode
/// (Greet is defined in examples/node_types.cpp.)
class NodeRegistry {
 public:
  /// Registers `type`; throws std::invalid_argument when the name is taken.
  NodeRegistry& add(std::string type, NodeFactory factory);
  /// Registers `type` with a factory that needs only the node's definition.
  NodeRegistry& add(std::string type, SimpleNodeFactory factory);
  /// Registers `type` in place of the factory it has (or as add() when it has none): to run
  /// a JDM `functionNode` or `customNode`, say.
  NodeRegistry& replace(std::string type, NodeFactory factory);
  [[nodiscard]] bool contains(std::string_view type) const noexcept;
  /// Lets any node carry `field` to be wrapped in a node of `wrapper_type`: the field's value is
  /// the wrapper's config (an object), or with `value_field` its value under that name
  /// (`"timeout_ms": 50` -> `{"ms": 50}`). Fields added first wrap outermost. A config error of a
  /// wrapper made so names the field (`retry.attempts`, `timeout_ms`).
  NodeRegistry& add_wrapper_field(std::string field, std::string wrapper_type,
                                  std::string value_field = {});
  /// Lets nodes of `type` read `concurrency` as a field of their own (foreach: items at once):
  /// the executor then puts no limit on runs of such a node at once.
  NodeRegistry& claim_concurrency(std::string type);
  /// True when nodes of `type` read `concurrency` themselves (see claim_concurrency()).
  [[nodiscard]] bool claims_concurrency(std::string_view type) const noexcept;
  /// Lets nodes of `type` read the wrapper field `field` (see add_wrapper_field()) as a field of
  /// their own: `timeout_ms` on an `http` node is its request's time limit, with no wrapper.
  NodeRegistry& claim_field(std::string type, std::string field);
  /// True when nodes of `type` read `field` themselves (see claim_field()).
  [[nodiscard]] bool claims_field(std::string_view type, std::string_view field) const noexcept;
  /// A node for `build.def()`; throws ConfigError for a bad config, std::out_of_range for an
  /// unknown type.
  [[nodiscard]] std::unique_ptr<Node> create(const NodeBuild& build) const;
  /// A node for `def` alone (no graph, no runtime).
  [[nodiscard]] std::unique_ptr<Node> create(const NodeDef& def) const;
  /// The registered type names, sorted.
  [[nodiscard]] std::vector<std::string> types() const;

 private:
  struct WrapperField {
    std::string field;
    std::string type;
    std::string value_field;
  };
  [[nodiscard]] std::unique_ptr<Node> create_wrapped(const NodeBuild& build) const;

  std::map<std::string, NodeFactory, std::less<>> factories_;
  std::vector<WrapperField> wrapper_fields_;  // outermost first
  std::set<std::string, std::less<>> concurrency_claims_;
  std::set<std::pair<std::string, std::string>> field_claims_;  // (type, field)
};

}  // namespace lg
