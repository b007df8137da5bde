#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node.hpp>

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

/// A node's config is wrong; names the field. Thrown by node factories, reported by the executor
/// with the node's place in the graph.
class ConfigError : public std::runtime_error {
 public:
  /// `reason` says what is wrong without naming the field; what() names it in front.
  ConfigError(std::string field, std::string reason)
      : std::runtime_error(field.empty() ? reason : "field '" + field + "': " + reason),
        field_(std::move(field)),
        reason_(std::move(reason)) {}
  /// The config field at fault (empty when the problem is the node as a whole).
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  /// What is wrong with the field, for messages that name the field themselves.
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

/// Builds a node from its definition; checks the config and throws ConfigError when it is wrong.
using NodeFactory = std::function<std::unique_ptr<Node>(const NodeDef&)>;

/// Node types by their JSON `type` name.
///
/// @code
/// lg::NodeRegistry registry = lg::builtin_nodes();          // from nodes/
/// registry.add("echo", [](const lg::NodeDef& def) { return std::make_unique<Echo>(def); });
/// @endcode
class NodeRegistry {
 public:
  /// Registers `type`; throws std::invalid_argument when the name is taken.
  NodeRegistry& add(std::string type, NodeFactory factory);
  [[nodiscard]] bool contains(std::string_view type) const noexcept;
  /// A node for `def`; throws ConfigError for a bad config, std::out_of_range for an unknown type.
  [[nodiscard]] std::unique_ptr<Node> create(const NodeDef& def) const;
  /// The registered type names, sorted.
  [[nodiscard]] std::vector<std::string> types() const;

 private:
  std::map<std::string, NodeFactory, std::less<>> factories_;
};

}  // namespace lg
