#pragma once

#include <logic_graph/engine/expr/zen_expression.hpp>
#include <logic_graph/engine/expr/zen_shared_value.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_scope.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The values of a JDM graph as ZEN moves them between nodes.
namespace lg::jdm {

using Json = nlohmann::json;

using Value = zen::SharedValue;

/// What a JDM node gives the nodes after it: `out` is kept as it is (exact decimals, shared),
/// and the JSON returned for the context is `out` only when the execution is traced, else null
/// (converting every node's output would cost more than computing it; lg::jdm::decision()
/// gives the result).
[[nodiscard]] Json publish(NodeScope& scope, Value out);
/// The output of node `id`: what it kept (publish()), else its result in the context (a node
/// type of the user's, a `customNode`) converted; nullopt when it has not run.
[[nodiscard]] std::optional<Value> output_of(const NodeScope& scope, std::string_view id);

/// `text` without the whitespace around it, Unicode's as Rust's trim() (ZEN trims cells and
/// fields so): a cell holding a no-break space is empty.
[[nodiscard]] std::string trimmed(std::string_view text);

/// Dotted paths (keys, output fields) are refused past this many segments: they would nest
/// values deeper than any node may build.
inline constexpr std::ptrdiff_t max_path_segments = 256;
/// Throws ConfigError naming `field` for a path past max_path_segments.
void check_path(std::string_view path, const std::string& field);

/// The string member `name` of `object`, or nullptr when it is absent or null; ConfigError
/// naming `at.name` (`content.inputs[0].field`) when it is something else.
[[nodiscard]] const std::string* optional_string(const Json& object, const char* name,
                                                 const std::string& at);

/// One incoming edge of a node: its parent, and when it counts: always, or (an edge from a
/// switch) when one of the switch's branch keys holds (none: never).
struct Parent {
  std::string id;
  bool conditional = false;
  std::vector<std::string> keys;
};

/// True when `parent`'s edge was taken: unconditional, or a branch key of it set to true.
[[nodiscard]] bool taken(const Parent& parent, const NodeScope& scope);

/// A Parent from the reader's form: `{"id", "when"?: [keys]}`.
[[nodiscard]] Parent read_parent(const Json& edge, const char* id_field);

/// What a node of a JDM graph reads: its parents, its name, the names of the nodes it can see
/// as `$nodes`.
class NodeInputs {
 public:
  /// From the config the JDM reader gave the node (`name`, `parents`, `nodes_view`).
  explicit NodeInputs(const NodeDef& def);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// The merge of the parents' outputs in ZEN's order (the first edge's parent wins); `{}`
  /// without parents. A parent behind a switch branch that was not taken does not count.
  [[nodiscard]] Value merged(const NodeScope& scope) const;

  /// True when the node's expressions read `$nodes`.
  [[nodiscard]] bool sees_nodes() const noexcept { return !view_.empty(); }
  /// `$nodes`: the outputs of the nodes before this one, by name; null when the node does
  /// not read it.
  [[nodiscard]] Value nodes(const NodeScope& scope) const;

 private:
  std::string name_;
  std::vector<Parent> parents_;
  std::vector<std::pair<std::string, std::string>> view_;  // (id, name)
};

/// Evaluations over `x`, with `$nodes` bound to `nodes` unless it is null.
[[nodiscard]] zen::Environment environment(const Value& x, const Value& nodes);

/// `text` parsed, or nullopt when ZEN's parser would fail on it too: ZEN reports that only when
/// the expression is evaluated (a table's cell then never matches).
[[nodiscard]] std::optional<zen::Expression> try_parse(const std::string& text, zen::Mode mode,
                                                       std::string* error = nullptr);

}  // namespace lg::jdm
