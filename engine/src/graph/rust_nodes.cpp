#include "graph/rust_nodes.hpp"

#include "graph/rust_data_nodes.hpp"
#include "graph/rust_fields.hpp"
#include "graph/rust_reader.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The crate's nodes are in rust-logic-graph's src/node/mod.rs. Its own loader (GraphDef,
// src/core/graph.rs) keeps none of their fields and runs each as a `true` rule; their run()
// bodies are placeholders that read `_simulate_failure`, `_simulate_error` or `_circuit_open`
// from the context instead of running their target. Here the fields mean what the crate's
// constructors and comments say they mean, and the node named runs for real.
namespace lg::detail {
namespace {

using Json = nlohmann::json;

// The crate's defaults, where its constructors have them.
constexpr std::int64_t rust_initial_delay_ms = 100;        // RetryNode::new
constexpr std::int64_t rust_timeout_ms = 5'000;            // CircuitBreakerNode::new
constexpr std::int64_t rust_half_open_ms = 30'000;         // CircuitBreakerNode::new
constexpr std::int64_t max_count = 24LL * 60 * 60 * 1000;  // a day in ms: beyond any sane field

class Translation {
 public:
  Translation(GraphDef& graph, GraphLocations& where, const std::vector<bool>& rust_shaped,
              std::vector<Diagnostic>& out)
      : graph_(graph),
        where_(where),
        rust_shaped_(rust_shaped),
        reports_(graph, where, out),
        state_(graph.nodes.size(), State::waiting) {
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
      index_.emplace(graph.nodes[i].id, i);
    }
  }

  void run() {
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
      translate(i);
    }
    move_edges();
    for (const Link& link : links_) {
      link_edge(link);
    }
  }

 private:
  enum class State : std::uint8_t { waiting, translating, done };

  // An edge that a node's field asks for: a branch gets a condition, a finally must exist.
  struct Link {
    std::string from;
    std::string to;
    std::string field;
    std::optional<bool> branch;  // true_branch, false_branch; none: finally
  };

  void translate(std::size_t i) {
    if (state_[i] != State::waiting) {
      return;
    }
    state_[i] = State::translating;
    NodeDef& node = graph_.nodes[i];
    const auto found = node.config.find("rust_type");
    const RustKind kind = i < rust_shaped_.size() && rust_shaped_[i] && found != node.config.end()
                              ? rust_kind(found->get<std::string>())
                              : RustKind::other;
    switch (kind) {
      case RustKind::rule:
        translate_rule(node, reports_);
        break;
      case RustKind::db:
        translate_db(node, reports_);
        break;
      case RustKind::ai:
        translate_ai(node, reports_);
        break;
      case RustKind::retry:
        retry(node);
        break;
      case RustKind::circuit_breaker:
        circuit_breaker(node);
        break;
      case RustKind::try_catch:
        try_catch(node);
        break;
      case RustKind::subgraph:
        subgraph(node);
        break;
      case RustKind::loop:
        loop(node);
        break;
      case RustKind::conditional:
        conditional(node);
        break;
      case RustKind::grpc:
      case RustKind::other:
        break;
    }
    state_[i] = State::done;
  }

  // RetryNode {target_node_id, max_retries, initial_delay_ms = 100, backoff_multiplier = 2}:
  // max_retries counts retries after the first attempt (its loop runs while attempt <= it).
  void retry(NodeDef& node) {
    inner(node, "target_node_id", "node", true);
    if (const std::optional<std::int64_t> retries =
            count_field(node, "max_retries", 999, reports_)) {
      if (node.config.contains("attempts")) {
        reports_.add(node.id, "max_retries", "give one of 'max_retries' and 'attempts'");
      }
      node.config["attempts"] = *retries + 1;
    } else if (!node.config.contains("max_retries") && !node.config.contains("attempts")) {
      reports_.add(node.id, "max_retries", "missing (RetryNode's retries after the first attempt)");
    }
    node.config.erase("max_retries");
    rename_field(node, "initial_delay_ms", "backoff_ms", rust_initial_delay_ms, reports_);
    if (const auto multiplier = node.config.find("backoff_multiplier");
        multiplier != node.config.end()) {
      if (!multiplier->is_number() || multiplier->get<double>() != 2.0) {
        reports_.add(node.id, "backoff_multiplier",
                     fmt::format("only 2 has an equivalent here (each wait doubles, up to "
                                 "max_backoff_ms), found {}",
                                 multiplier->dump()));
      }
      node.config.erase(multiplier);
    }
  }

  // CircuitBreakerNode {target_node_id, failure_threshold, timeout_ms = 5000,
  // half_open_timeout_ms = 30000}: timeout_ms limits each call (a timeout inside the breaker,
  // so that a time-out counts as a failure); half_open_timeout_ms is how long the circuit stays
  // open before a trial call, the native reset_ms.
  void circuit_breaker(NodeDef& node) {
    inner(node, "target_node_id", "node", true);
    if (!node.config.contains("failure_threshold")) {
      reports_.add(node.id, "failure_threshold",
                   "missing (CircuitBreakerNode's failures that open it)");
    }
    const std::int64_t ms =
        count_field(node, "timeout_ms", max_count, reports_).value_or(rust_timeout_ms);
    node.config.erase("timeout_ms");  // else the shorthand would put the timeout outside
    if (const auto found = node.config.find("node"); found != node.config.end()) {
      *found = Json{{"type", "timeout"}, {"ms", ms}, {"node", std::move(*found)}};
    }
    rename_field(node, "half_open_timeout_ms", "reset_ms", rust_half_open_ms, reports_);
  }

  // TryCatchNode {try_node_id, catch_node_id, finally_node_id}: without a catch node the error
  // is swallowed (the crate's "error_handled"): the result is null. A finally node runs after
  // the try either way, which an edge from it does: it must have one.
  void try_catch(NodeDef& node) {
    inner(node, "try_node_id", "node", true);
    inner(node, "catch_node_id", "catch_node", false);
    if (!node.config.contains("catch") && !node.config.contains("catch_node")) {
      node.config["catch"] = "null";
    }
    if (const std::optional<std::string> target =
            take_id_field(node, "finally_node_id", reports_)) {
      links_.push_back({node.id, *target, "finally_node_id", std::nullopt});
    }
  }

  // SubgraphNode {graph_def, input_mapping: parent key -> child key, output_mapping: child key
  // -> parent key}; its YAML files name a file `subgraph_file`. The native mappings go the
  // other way round: key -> expression on the other side.
  void subgraph(NodeDef& node) {
    rename_field(node, "graph_def", "graph", std::nullopt, reports_);
    rename_field(node, "subgraph_file", "file", std::nullopt, reports_);
    if (!node.config.contains("graph") && !node.config.contains("file")) {
      reports_.add(node.id, "graph_def", "missing (SubgraphNode's graph; or 'subgraph_file')");
    }
    reverse_mapping(node, "input_mapping", "input", reports_);
    reverse_mapping(node, "output_mapping", "output", reports_);
  }

  // LoopNode: with collection_key a foreach over it, the body seeing `_loop_item` and
  // `_loop_index` as the crate's does; else a while loop on `condition`, at most
  // max_iterations times, whose state (the keys the body carries over) is native only.
  void loop(NodeDef& node) {
    if (node.config.contains("collection_key")) {
      node.type = "foreach";
      rename_field(node, "collection_key", "items", std::nullopt, reports_);
      if (!node.config.contains("as")) {
        node.config["as"] = "_loop_item";
      }
      if (!node.config.contains("index_as")) {
        node.config["index_as"] = "_loop_index";
      }
      inner(node, "body_node_id", "node",
            !node.config.contains("graph") && !node.config.contains("file"));
      for (const char* field : {"max_iterations", "condition"}) {
        if (node.config.contains(field)) {
          reports_.add(node.id, field,
                       "no equivalent for a loop over collection_key: every item runs");
        }
      }
      return;
    }
    rename_field(node, "condition", "while", std::nullopt, reports_);
    if (!node.config.contains("while")) {
      reports_.add(node.id, "condition",
                   "missing (LoopNode's while condition; or 'collection_key')");
    }
    if (const auto found = node.config.find("body_node_id"); found != node.config.end()) {
      const std::string body = found->is_string() ? found->get<std::string>() : std::string();
      inner(node, "body_node_id", "graph", false);
      if (const auto graph = node.config.find("graph");
          graph != node.config.end() && !body.empty()) {
        Json only = std::move(*graph);
        only["id"] = body;  // the body keeps its id in the child graph it runs in
        *graph = Json{{"nodes", Json::array({std::move(only)})}};
      }
    }
  }

  // ConditionalNode {condition, true_branch, false_branch}: a rule, whose result is the truth;
  // a branch is the edge to that node, active when the result is true (false).
  void conditional(NodeDef& node) {
    if (!node.config.contains("condition")) {
      reports_.add(node.id, "condition", "missing (ConditionalNode's condition)");
    }
    for (const bool truth : {true, false}) {
      const char* field = truth ? "true_branch" : "false_branch";
      if (const std::optional<std::string> target = take_id_field(node, field, reports_)) {
        links_.push_back({node.id, *target, field, truth});
      }
    }
  }

  // Moves the node named by `field` into `wrapper` as `native` (translated first). Reports a
  // missing field when `required` and there is no `native` either.
  void inner(NodeDef& wrapper, std::string_view field, std::string_view native, bool required) {
    const auto found = wrapper.config.find(field);
    if (found == wrapper.config.end()) {
      if (required && !wrapper.config.contains(native)) {
        reports_.add(
            wrapper.id, field,
            fmt::format("missing: the node it runs (moved inside it), or '{}' (inline)", native));
      }
      return;
    }
    if (wrapper.config.contains(native)) {
      reports_.add(wrapper.id, field, fmt::format("give one of '{}' and '{}'", field, native));
      return;
    }
    const std::optional<std::string> target = take_id_field(wrapper, field, reports_);
    if (!target) {
      return;
    }
    const auto at = index_.find(*target);
    if (*target == wrapper.id) {
      reports_.add(wrapper.id, field, "names this node itself");
    } else if (at == index_.end()) {
      reports_.add(wrapper.id, field, fmt::format("no node {} in the graph", in_quotes(*target)));
    } else if (const auto owner = moved_into_.find(*target); owner != moved_into_.end()) {
      reports_.add(wrapper.id, field,
                   fmt::format("node {} is inside {} already", in_quotes(*target),
                               in_quotes(owner->second)));
    } else if (state_[at->second] == State::translating) {
      reports_.add(wrapper.id, field,
                   fmt::format("node {} holds this node: neither can be inside the other",
                               in_quotes(*target)));
    } else {
      translate(at->second);
      const NodeDef& moved = graph_.nodes[at->second];
      Json config = moved.config;
      config["type"] = moved.type;
      wrapper.config[std::string(native)] = std::move(config);
      moved_into_.emplace(*target, wrapper.id);
    }
  }

  // The outermost wrapper holding `id`, or `id` itself.
  [[nodiscard]] std::string outer(std::string id) const {
    for (auto it = moved_into_.find(id); it != moved_into_.end(); it = moved_into_.find(id)) {
      id = it->second;
    }
    return id;
  }

  // Edges of a moved node become its wrapper's; those between the two vanish, as do copies.
  void move_edges() {
    if (moved_into_.empty()) {
      return;
    }
    std::vector<EdgeDef> edges;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < graph_.edges.size(); ++i) {
      EdgeDef edge = std::move(graph_.edges[i]);
      edge.from = outer(std::move(edge.from));
      edge.to = outer(std::move(edge.to));
      const bool copy = std::any_of(edges.begin(), edges.end(), [&](const EdgeDef& kept) {
        return kept.from == edge.from && kept.to == edge.to && kept.when == edge.when &&
               kept.label == edge.label;
      });
      if (edge.from != edge.to && !copy) {
        edges.push_back(std::move(edge));
        index.push_back(where_.edge_index.empty() ? i : where_.edge_index[i]);
      }
    }
    graph_.edges = std::move(edges);
    where_.edge_index = std::move(index);
    std::erase_if(graph_.nodes, [&](const NodeDef& node) { return moved_into_.contains(node.id); });
  }

  void link_edge(const Link& link) {
    const auto place = [&](std::string message) {
      reports_.add(link.from, link.field, std::move(message));
    };
    if (!index_.contains(link.to)) {
      place(fmt::format("no node {} in the graph", in_quotes(link.to)));
      return;
    }
    const std::string from = outer(link.from);
    const std::string to = outer(link.to);
    const auto edge = std::find_if(graph_.edges.begin(), graph_.edges.end(),
                                   [&](const EdgeDef& e) { return e.from == from && e.to == to; });
    if (edge == graph_.edges.end()) {
      place(fmt::format("needs an edge from {} to {}{}", in_quotes(from), in_quotes(to),
                        link.branch ? " (a branch gates an edge)" : " (that runs it after)"));
      return;
    }
    if (!link.branch) {
      return;  // finally: the edge runs it after the try, which never fails
    }
    if (!is_name(from)) {
      place(
          fmt::format("the branch's condition names the node, and {} is not a name "
                      "(letters, digits, '_')",
                      in_quotes(from)));
      return;
    }
    const std::string truth = *link.branch ? from : fmt::format("!{}", from);
    edge->when = edge->when ? fmt::format("({}) && {}", *edge->when, truth) : truth;
  }

  GraphDef& graph_;
  GraphLocations& where_;
  const std::vector<bool>& rust_shaped_;
  FieldReports reports_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<std::string, std::string, std::less<>> moved_into_;  // a moved node -> its wrapper
  std::vector<State> state_;
  std::vector<Link> links_;
};

}  // namespace

void translate_rust_nodes(GraphDef& graph, GraphLocations& where,
                          const std::vector<bool>& rust_shaped, std::vector<Diagnostic>& out) {
  if (std::find(rust_shaped.begin(), rust_shaped.end(), true) == rust_shaped.end()) {
    return;  // a native graph: nothing to translate, no index to build
  }
  Translation(graph, where, rust_shaped, out).run();
}

}  // namespace lg::detail
