#include "graph/graph_reader.hpp"
#include "graph/jdm_reader.hpp"
#include "graph/rust_nodes.hpp"
#include "graph/rust_reader.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>

#include <cctype>
#include <utility>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

// A node of a list. In rust-logic-graph's shape when it has `node_type` or its `type` is one
// of the crate's (`DBNode`, `db`, ...); returns whether it is.
bool read_listed_node(const Json& object, std::size_t index, GraphDef& graph, GraphLocations& where,
                      std::vector<Diagnostic>& out) {
  if (!object.is_object()) {
    out.push_back({where.listed_node_at(index, "", false),
                   "a node must be an object with 'id' and 'type'" + got(object)});
    return false;
  }
  bool id_ok = false;
  const auto id = object.find("id");
  if (id == object.end()) {
    out.push_back({where.listed_node_at(index, "", false) + field("id"), "missing"});
  } else if (!id->is_string()) {
    out.push_back(
        {where.listed_node_at(index, "", false) + field("id"), "must be a string" + got(*id)});
  } else if (id->get_ref<const std::string&>().empty()) {
    out.push_back({where.listed_node_at(index, "", false) + field("id"), "must not be empty"});
  } else {
    id_ok = true;
  }
  const std::string at =
      where.listed_node_at(index, id_ok ? id->get_ref<const std::string&>() : "", id_ok);
  const auto type = object.find("type");
  const bool rust =
      object.contains("node_type") || (type != object.end() && type->is_string() &&
                                       is_rust_type_name(type->get_ref<const std::string&>()));
  NodeDef node{id_ok ? id->get<std::string>() : std::string(), {}, Json::object()};
  if (rust) {
    read_rust_fields(object, false, at, node, out);
  } else {
    if (type == object.end()) {
      out.push_back({at + field("type"), "missing"});
    } else if (!type->is_string()) {
      out.push_back({at + field("type"), "must be a string (a node type)" + got(*type)});
    } else if (type->get_ref<const std::string&>().empty()) {
      out.push_back({at + field("type"), "must not be empty"});
    } else {
      node.type = type->get<std::string>();
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (it.key() != "id" && it.key() != "type") {
        node.config[it.key()] = it.value();
      }
    }
  }
  if (!id_ok) {
    return false;  // nothing can refer to it
  }
  graph.nodes.push_back(std::move(node));
  where.node_index.push_back(index);
  return rust;
}

// A node of an object of id -> node: rust-logic-graph's shape.
void read_keyed_node(const std::string& id, const Json& value, GraphDef& graph,
                     GraphLocations& where, std::vector<Diagnostic>& out) {
  const std::string at = where.keyed_node_at(id);
  NodeDef node{id, {}, Json::object()};
  read_rust_fields(value, true, at, node, out);
  if (id.empty()) {
    out.push_back({at, "the node id (the key) must not be empty"});
    return;  // nothing can refer to it
  }
  graph.nodes.push_back(std::move(node));
}

/// An optional string field of an edge; false (after reporting) when present but not a string.
bool read_text(const Json& edge, const char* name, bool null_is_absent, const std::string& at,
               std::optional<std::string>& value, std::vector<Diagnostic>& out) {
  const auto it = edge.find(name);
  if (it == edge.end() || (null_is_absent && it->is_null())) {
    return true;
  }
  if (!it->is_string()) {
    out.push_back({at + field(name), "must be a string" + got(*it)});
    return false;
  }
  value = it->get<std::string>();
  return true;
}

void read_edge(const Json& object, std::size_t index, GraphDef& graph, GraphLocations& where,
               std::vector<Diagnostic>& out) {
  if (!object.is_object()) {
    out.push_back({where.edge_at(index, "", "", false),
                   "an edge must be an object with 'from' and 'to'" + got(object)});
    return;
  }
  const auto from = object.find("from");
  const auto to = object.find("to");
  const bool ends_ok =
      from != object.end() && from->is_string() && to != object.end() && to->is_string();
  const std::string at = ends_ok ? where.edge_at(index, from->get_ref<const std::string&>(),
                                                 to->get_ref<const std::string&>(), true)
                                 : where.edge_at(index, "", "", false);
  for (const bool is_from : {true, false}) {
    const auto& end = is_from ? from : to;
    const char* name = is_from ? "from" : "to";
    if (end == object.end()) {
      out.push_back({at + field(name), "missing"});
    } else if (!end->is_string()) {
      out.push_back({at + field(name), "must be a string (a node id)" + got(*end)});
    }
  }

  EdgeDef edge;
  read_text(object, "when", false, at, edge.when, out);
  read_text(object, "label", false, at, edge.label, out);
  std::optional<std::string> condition;  // the crate's distributed example's `when`
  if (read_text(object, "condition", true, at, condition, out) && condition) {
    if (edge.when) {
      out.push_back({at + field("condition"), "'when' is given too; use one of them"});
    } else {
      edge.when = std::move(condition);
    }
  }
  std::optional<std::string> rule;
  if (read_text(object, "rule", true, at, rule, out) && rule) {
    if (edge.label) {
      out.push_back({at + field("rule"), "'label' is given too; use one of them"});
    } else {
      edge.label = std::move(rule);  // a name only: rust-logic-graph never evaluates it
    }
  }
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    if (key != "from" && key != "to" && key != "when" && key != "label" && key != "rule" &&
        key != "condition") {
      out.push_back({at + field(key),
                     "unknown; an edge has 'from', 'to', 'when' (an expression, or "
                     "'condition') and 'label' (or rust-logic-graph's 'rule')"});
    }
  }
  if (!ends_ok) {
    return;
  }
  edge.from = from->get<std::string>();
  edge.to = to->get<std::string>();
  graph.edges.push_back(std::move(edge));
  where.edge_index.push_back(index);
}

}  // namespace

std::string got(const Json& value) {
  return std::string(", got ") + value.type_name();
}

std::string field(std::string_view name) {
  return ": field '" + std::string(name) + "'";
}

std::string native_type_name(std::string_view rust_type) {
  if (rust_type == "RuleNode")
    return "rule";
  if (rust_type == "DBNode")
    return "db";
  if (rust_type == "AINode")
    return "ai";
  if (rust_type == "GrpcNode")
    return "grpc";
  // The crate's control nodes, onto the native types that do what they are for (see
  // rust_nodes.hpp for their fields; a LoopNode over a collection becomes a foreach there).
  if (rust_type == "ConditionalNode")
    return "rule";
  if (rust_type == "TryCatchNode")
    return "try";
  if (rust_type == "CircuitBreakerNode")
    return "circuit_breaker";
  constexpr std::string_view suffix = "Node";
  if (rust_type.size() > suffix.size() && rust_type.ends_with(suffix)) {
    rust_type.remove_suffix(suffix.size());
  }
  std::string name(rust_type);
  for (char& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

GraphDef read_graph(const Json& json, GraphLocations& where, std::vector<Diagnostic>& out) {
  if (is_jdm(json)) {
    return read_jdm(json, where, out);
  }
  GraphDef graph;
  if (!json.is_object()) {
    out.push_back({where.source, "a graph must be a JSON object" + got(json)});
    return graph;
  }
  // Both shapes: rust-logic-graph's files hold only `nodes` and `edges`. Anything else is
  // most likely a misspelling, and a missing `edges` would leave every node ungated.
  for (auto it = json.begin(); it != json.end(); ++it) {
    const std::string& key = it.key();
    if (key != "name" && key != "description" && key != "metadata" && key != "nodes" &&
        key != "edges" && key != "input_key" && key != "result") {
      out.push_back({where.source + field(printable(key)),
                     "unknown; a graph has 'name', 'description', 'metadata' (free, as "
                     "'description'), 'nodes', 'edges', 'input_key' and 'result'"});
    }
  }
  for (const auto& [key, target] :
       {std::pair{"input_key", &graph.input_key}, std::pair{"result", &graph.result}}) {
    if (const auto it = json.find(key); it != json.end()) {
      if (it->is_string() && !it->get_ref<const std::string&>().empty()) {
        *target = it->get<std::string>();
      } else {
        out.push_back({where.source + field(key), "must be a non-empty string" + got(*it)});
      }
    }
  }
  if (const auto name = json.find("name"); name != json.end()) {
    if (name->is_string()) {
      graph.name = name->get<std::string>();
    } else {
      out.push_back({where.source + field("name"), "must be a string" + got(*name)});
    }
  }
  if (const auto description = json.find("description");
      description != json.end() && !description->is_string()) {
    out.push_back({where.source + field("description"), "must be a string" + got(*description)});
  }

  std::vector<bool> rust_shaped;  // by node: read in rust-logic-graph's shape
  const auto nodes = json.find("nodes");
  if (nodes == json.end()) {
    out.push_back({where.source + field("nodes"), "missing"});
  } else if (nodes->is_array()) {
    graph.nodes.reserve(nodes->size());
    where.node_index.reserve(nodes->size());
    for (std::size_t i = 0; i < nodes->size(); ++i) {
      const bool rust = read_listed_node((*nodes)[i], i, graph, where, out);
      rust_shaped.resize(graph.nodes.size(), rust);
    }
  } else if (nodes->is_object()) {
    where.keyed_nodes = true;
    graph.nodes.reserve(nodes->size());
    for (auto it = nodes->begin(); it != nodes->end(); ++it) {
      read_keyed_node(it.key(), it.value(), graph, where, out);
    }
    rust_shaped.assign(graph.nodes.size(), true);
  } else {
    out.push_back({where.source + field("nodes"),
                   "must be an array of nodes or an object of id -> node" + got(*nodes)});
  }

  if (const auto edges = json.find("edges"); edges != json.end()) {
    if (edges->is_array()) {
      graph.edges.reserve(edges->size());
      where.edge_index.reserve(edges->size());
      for (std::size_t i = 0; i < edges->size(); ++i) {
        read_edge((*edges)[i], i, graph, where, out);
      }
    } else {
      out.push_back({where.source + field("edges"), "must be an array of edges" + got(*edges)});
    }
  }
  dependencies_to_edges(graph, where, out);
  translate_rust_nodes(graph, where, rust_shaped, out);
  return graph;
}

}  // namespace lg::detail
