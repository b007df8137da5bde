#pragma once

#include <logic_graph/engine/graph/graph_error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

/// One node of a graph: its id, the type that runs it and that type's config.
struct NodeDef {
  /// Unique within the graph; the node's result is stored in the context under it.
  std::string id;
  /// The registered node type that runs this node (`rule`, `compute`, `delay`, ...).
  std::string type;
  /// Every other field of the node object; an object. Checked by the node type, not here.
  nlohmann::json config = nlohmann::json::object();
};

/// One edge: `to` may run after `from` finishes, when `when` holds.
struct EdgeDef {
  /// The node this edge leaves.
  std::string from;
  /// The node this edge enters.
  std::string to;
  /// An expression evaluated after `from` finishes; absent means always active.
  std::optional<std::string> when;
  /// A name for people and tools; never gates execution (rust-logic-graph's `rule`).
  std::optional<std::string> label;
};

/// The text a graph is written in. YAML reads into the same model as JSON.
enum class GraphFormat : std::uint8_t { json, yaml };

/// The format of a graph file by its name: YAML for `.yaml` and `.yml`, JSON otherwise.
[[nodiscard]] GraphFormat graph_format_of(const std::filesystem::path& file);

/// The graph as data: nodes and edges, read from JSON or YAML, or built in code.
///
/// Reading and validate() check the structure (ids, edge ends, cycles) and report every problem
/// at once; node types, configs and expressions are checked later, when an executor is built.
///
/// @code
/// lg::GraphDef graph = lg::GraphDef::load("graphs/order_flow.json");
///
/// lg::GraphDef built;
/// built.name = "tiny";
/// built.node("check", "rule", {{"condition", "order.total > 0"}})
///     .node("wait", "delay", {{"ms", 5}})
///     .edge("check", "wait", "check");
/// if (auto problems = built.validate(); !problems.empty()) { ... }
/// @endcode
class GraphDef {
 public:
  /// Reads a graph from JSON: native, rust-logic-graph's or GoRules ZEN's JDM shape. Throws
  /// GraphError listing every structural problem; `source` starts each place named (a file name,
  /// say).
  static GraphDef from_json(const nlohmann::json& json, std::string_view source = "graph");
  /// Parses JSON (or YAML) text, then reads it as from_json() does. Invalid JSON throws
  /// GraphError naming line, column and byte offset; invalid YAML line and column, as do a
  /// duplicate key, an alias copying too much and nesting deeper than 256 levels. From YAML,
  /// places name the lines of nodes and edges: `graph.yaml: nodes['fetch'] (line 12)`.
  static GraphDef parse(std::string_view text, std::string_view source = "graph",
                        GraphFormat format = GraphFormat::json);
  /// Reads a graph file, YAML or JSON by its name (graph_format_of()). A missing or unreadable
  /// file, invalid text or an invalid graph throws GraphError naming the file.
  static GraphDef load(const std::filesystem::path& file);

  /// The graph in the native format; from_json() reads it back unchanged.
  [[nodiscard]] nlohmann::json to_json() const;

  /// Appends a node; checked by validate(), not here.
  GraphDef& node(std::string id, std::string type,
                 nlohmann::json config = nlohmann::json::object());
  /// Appends an edge, conditional when `when` is given; checked by validate(), not here.
  GraphDef& edge(std::string from, std::string to, std::optional<std::string> when = std::nullopt);

  /// Every structural problem (the checks from_json() runs); empty when the graph is fine.
  [[nodiscard]] std::vector<Diagnostic> validate() const;

  /// The first node with this id, or nullptr. A linear scan: build a map for many look-ups.
  [[nodiscard]] const NodeDef* find_node(std::string_view id) const noexcept;

  /// A name for people and tools; may be empty.
  std::string name;
  /// Where the definition was read from (the file name for load()); it starts the places named
  /// in later diagnostics, such as an Executor's. Not part of to_json().
  std::string source = "graph";
  /// When not empty, an execution's input is stored whole under this key (any JSON value)
  /// instead of one key per member of an object. JDM graphs read so.
  std::string input_key;
  /// When not empty, the id of the node whose result is the graph's result: `lgraph run`
  /// prints it instead of the final context. JDM graphs read so (their result node keeps the
  /// decision as a ZEN value: lg::jdm::decision(), nodes/jdm.hpp).
  std::string result;
  /// The nodes, in the order they were read or added.
  std::vector<NodeDef> nodes;
  /// The edges, in the order they were read or added.
  std::vector<EdgeDef> edges;
};

}  // namespace lg
