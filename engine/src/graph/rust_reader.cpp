#include "graph/rust_reader.hpp"

#include "graph/graph_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <unordered_set>
#include <utility>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

struct KindName {
  std::string_view name;
  RustKind kind;
};

// The crate's NodeType names (src/node/mod.rs), the short ones of its distributed example
// (`Rule`, `DB`, `AI`) and the lowercase ones (`db`, `ai`, ...).
constexpr std::array<KindName, 20> kind_names{{
    {"RuleNode", RustKind::rule},
    {"Rule", RustKind::rule},
    {"rule", RustKind::rule},
    {"DBNode", RustKind::db},
    {"DB", RustKind::db},
    {"db", RustKind::db},
    {"AINode", RustKind::ai},
    {"AI", RustKind::ai},
    {"ai", RustKind::ai},
    {"GrpcNode", RustKind::grpc},
    {"Grpc", RustKind::grpc},
    {"grpc", RustKind::grpc},
    {"SubgraphNode", RustKind::subgraph},
    {"subgraph", RustKind::subgraph},
    {"RetryNode", RustKind::retry},
    {"CircuitBreakerNode", RustKind::circuit_breaker},
    {"TryCatchNode", RustKind::try_catch},
    {"LoopNode", RustKind::loop},
    {"ConditionalNode", RustKind::conditional},
    {"Subgraph", RustKind::subgraph},
}};

// The type named by `node_type` or `type`; empty (after reporting) when unusable.
std::string type_field(const Json& value, const std::string& at, std::vector<Diagnostic>& out) {
  const auto node_type = value.find("node_type");
  const auto type = value.find("type");
  if (node_type != value.end() && type != value.end()) {
    out.push_back({at + field("type"), "give one of 'node_type' and 'type'"});
    return {};
  }
  const auto found = node_type != value.end() ? node_type : type;
  const char* name = node_type != value.end() ? "node_type" : "type";
  if (found == value.end()) {
    out.push_back({at + field("node_type"), "missing (or 'type')"});
  } else if (!found->is_string()) {
    out.push_back({at + field(name), "must be a string" + got(*found)});
  } else if (found->get_ref<const std::string&>().empty()) {
    out.push_back({at + field(name), "must not be empty"});
  } else {
    return found->get<std::string>();
  }
  return {};
}

}  // namespace

RustKind rust_kind(std::string_view type) {
  const auto found = std::find_if(kind_names.begin(), kind_names.end(),
                                  [&](const KindName& entry) { return entry.name == type; });
  return found == kind_names.end() ? RustKind::other : found->kind;
}

bool is_rust_type_name(std::string_view type) {
  // Lowercase `rule`, `grpc` and `subgraph` are native names too (or may be): read natively.
  return rust_kind(type) != RustKind::other && type != "rule" && type != "subgraph" &&
         type != "grpc";
}

void read_rust_fields(const Json& value, bool keyed, const std::string& at, NodeDef& node,
                      std::vector<Diagnostic>& out) {
  std::string rust_type;  // stays empty when unusable
  if (value.is_string()) {
    rust_type = value.get<std::string>();
    if (rust_type.empty()) {
      out.push_back({at, "the node type must not be empty"});
    }
  } else if (value.is_object()) {
    rust_type = type_field(value, at, out);
    if (keyed && value.contains("id")) {
      out.push_back({at + field("id"), "not allowed here: the key is the id"});
    }
    const auto copy = [&node](const std::string& key, const Json& field_value) {
      if (!field_value.is_null()) {  // null is serde's None: the same as absent
        node.config[key] = field_value;
      }
    };
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& key = it.key();
      if (key != "node_type" && key != "type" && key != "id" && key != "config") {
        copy(key, it.value());
      }
    }
    // The distributed example's nodes keep their fields in `config`.
    if (const auto config = value.find("config"); config != value.end() && !config->is_null()) {
      if (!config->is_object()) {
        out.push_back(
            {at + field("config"), "must be an object of the node's fields" + got(*config)});
      }
      for (auto it = config->begin(); config->is_object() && it != config->end(); ++it) {
        if (node.config.contains(it.key())) {
          out.push_back({at + field("config." + it.key()), "given outside 'config' too"});
        } else {
          copy(it.key(), it.value());
        }
      }
    }
  } else {
    out.push_back({at,
                   "a node must be a type name such as \"RuleNode\" or an object with "
                   "\"node_type\" (or \"type\")" +
                       got(value)});
  }
  // A node whose type is unusable is kept all the same, so that edges to it are not reported.
  if (!rust_type.empty()) {
    node.type = native_type_name(rust_type);
    node.config["rust_type"] = rust_type;
  }
}

void dependencies_to_edges(GraphDef& graph, GraphLocations& where, std::vector<Diagnostic>& out) {
  if (std::none_of(graph.nodes.begin(), graph.nodes.end(),
                   [](const NodeDef& node) { return node.config.contains("dependencies"); })) {
    return;  // no index to build
  }
  std::unordered_set<std::string_view> ids;
  for (const NodeDef& node : graph.nodes) {
    ids.insert(node.id);
  }
  std::set<std::pair<std::string, std::string>, std::less<>> present;
  for (const EdgeDef& edge : graph.edges) {
    present.emplace(edge.from, edge.to);
  }
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const auto found = graph.nodes[i].config.find("dependencies");
    if (found == graph.nodes[i].config.end()) {
      continue;
    }
    const Json list = std::move(*found);
    graph.nodes[i].config.erase(found);
    const std::string& id = graph.nodes[i].id;
    const std::string at = where.at(where.node_place(graph, i));
    if (!list.is_array() && !list.is_null()) {
      out.push_back({at + field("dependencies"),
                     "must be a list of the ids of the nodes this one runs after" + got(list)});
      continue;
    }
    std::set<std::string, std::less<>> listed;
    for (std::size_t k = 0; list.is_array() && k < list.size(); ++k) {
      const Json& dependency = list[k];
      const std::string place = at + field(fmt::format("dependencies[{}]", k));
      if (!dependency.is_string() || dependency.get_ref<const std::string&>().empty()) {
        out.push_back({place, "must be a node id, found " + dependency.dump()});
        continue;
      }
      const std::string& from = dependency.get_ref<const std::string&>();
      if (from == id) {
        out.push_back({place, "names this node itself"});
      } else if (!ids.contains(from)) {
        out.push_back({place, fmt::format("no node {} in the graph", in_quotes(from))});
      } else if (!listed.insert(from).second) {
        out.push_back({place, fmt::format("{} is listed twice", in_quotes(from))});
      } else if (present.emplace(from, id).second) {
        graph.edges.push_back({from, id, std::nullopt, std::nullopt});
        where.edge_index.push_back(from_dependencies);
      }
    }
  }
}

}  // namespace lg::detail
