#include "graph/graph_reader.hpp"
#include "graph/jdm_reader.hpp"
#include "graph/rust_nodes.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>

#include <cctype>
#include <utility>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

void read_native_node(const Json& object, std::size_t index, GraphDef& graph, GraphLocations& where,
                      std::vector<Diagnostic>& out) {
  if (!object.is_object()) {
    out.push_back({where.listed_node_at(index, "", false),
                   "a node must be an object with 'id' and 'type'" + got(object)});
    return;
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
  const std::string place =
      where.listed_node_at(index, id_ok ? id->get_ref<const std::string&>() : "", id_ok);

  std::string type_name;
  const auto type = object.find("type");
  if (type == object.end()) {
    out.push_back({place + field("type"), "missing"});
  } else if (!type->is_string()) {
    out.push_back({place + field("type"), "must be a string (a node type)" + got(*type)});
  } else if (type->get_ref<const std::string&>().empty()) {
    out.push_back({place + field("type"), "must not be empty"});
  } else {
    type_name = type->get<std::string>();
  }

  if (!id_ok) {
    return;  // nothing can refer to it
  }
  NodeDef node{id->get<std::string>(), std::move(type_name), Json::object()};
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key() != "id" && it.key() != "type") {
      node.config[it.key()] = it.value();
    }
  }
  graph.nodes.push_back(std::move(node));
  where.node_index.push_back(index);
}

void read_rust_node(const std::string& id, const Json& value, GraphDef& graph,
                    GraphLocations& where, std::vector<Diagnostic>& out) {
  const std::string at = where.keyed_node_at(id);
  const bool id_ok = !id.empty();
  if (!id_ok) {
    out.push_back({at, "the node id (the key) must not be empty"});
  }
  std::string rust_type;  // stays empty when unusable
  const Json* fields = nullptr;
  if (value.is_string()) {
    rust_type = value.get<std::string>();
    if (rust_type.empty()) {
      out.push_back({at, "the node type must not be empty"});
    }
  } else if (value.is_object()) {
    fields = &value;
    const auto type = value.find("node_type");
    if (type == value.end()) {
      out.push_back({at + field("node_type"), "missing"});
    } else if (!type->is_string()) {
      out.push_back({at + field("node_type"), "must be a string" + got(*type)});
    } else if (type->get_ref<const std::string&>().empty()) {
      out.push_back({at + field("node_type"), "must not be empty"});
    } else {
      rust_type = type->get<std::string>();
    }
    for (const char* reserved : {"id", "type"}) {
      if (value.contains(reserved)) {
        out.push_back(
            {at + field(reserved), "not allowed here: the key is the id, 'node_type' the type"});
      }
    }
  } else {
    out.push_back({at,
                   "a node must be a type name such as \"RuleNode\" or an object with "
                   "\"node_type\"" +
                       got(value)});
  }
  if (!id_ok) {
    return;  // nothing can refer to it
  }

  // A node whose type is unusable is kept all the same, so that edges to it are not reported.
  NodeDef node{id, rust_type.empty() ? std::string() : native_type_name(rust_type), Json::object()};
  if (fields != nullptr) {
    for (auto it = fields->begin(); it != fields->end(); ++it) {
      const std::string& key = it.key();
      if (key != "node_type" && key != "id" && key != "type" && !it.value().is_null()) {
        node.config[key] = it.value();  // null is serde's None: the same as absent
      }
    }
  }
  if (!rust_type.empty()) {
    node.config["rust_type"] = rust_type;
  }
  if (rust_type == "RuleNode" && !node.config.contains("condition")) {
    node.config["condition"] = "true";  // rust-logic-graph's RuleNode passes by default
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
    if (key != "from" && key != "to" && key != "when" && key != "label" && key != "rule") {
      out.push_back({at + field(key),
                     "unknown; an edge has 'from', 'to', 'when' (an expression) "
                     "and 'label' (or rust-logic-graph's 'rule')"});
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
    if (key != "name" && key != "description" && key != "nodes" && key != "edges" &&
        key != "input_key" && key != "result") {
      out.push_back({where.source + field(printable(key)),
                     "unknown; a graph has 'name', 'description', 'nodes', 'edges', "
                     "'input_key' and 'result'"});
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

  const auto nodes = json.find("nodes");
  if (nodes == json.end()) {
    out.push_back({where.source + field("nodes"), "missing"});
  } else if (nodes->is_array()) {
    graph.nodes.reserve(nodes->size());
    where.node_index.reserve(nodes->size());
    for (std::size_t i = 0; i < nodes->size(); ++i) {
      read_native_node((*nodes)[i], i, graph, where, out);
    }
  } else if (nodes->is_object()) {
    where.keyed_nodes = true;
    graph.nodes.reserve(nodes->size());
    for (auto it = nodes->begin(); it != nodes->end(); ++it) {
      read_rust_node(it.key(), it.value(), graph, where, out);
    }
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
  if (where.keyed_nodes) {
    translate_rust_nodes(graph, where, out);
  }
  return graph;
}

}  // namespace lg::detail
