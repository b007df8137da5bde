#include "graph/jdm_reader.hpp"

#include "graph/graph_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 8> jdm_kinds = {
    "inputNode",  "outputNode",   "expressionNode", "decisionTableNode",
    "switchNode", "decisionNode", "functionNode",   "customNode"};

bool is_kind(const Json& type) {
  return type.is_string() && std::find(jdm_kinds.begin(), jdm_kinds.end(),
                                       type.get_ref<const std::string&>()) != jdm_kinds.end();
}

std::string jdm_node_place(std::size_t index, const Json& node) {
  const auto text = [&node](const char* key) {
    const auto it = node.find(key);
    return it != node.end() && it->is_string() ? in_quotes(it->get_ref<const std::string&>())
                                               : std::string("?");
  };
  return fmt::format("nodes[{}] (id {}, name {})", index, text("id"), text("name"));
}

struct SwitchInfo {
  // statement id -> the condition on the context keys the switch sets, one per statement: an
  // edge is taken when any statement of its handle's id holds
  std::map<std::string, std::vector<std::string>, std::less<>> branch_keys;
};

// A string field of a JDM object; reports it when missing or not a string.
const std::string* string_field(const Json& object, const char* name, const std::string& at,
                                std::vector<Diagnostic>& out) {
  const auto it = object.find(name);
  if (it == object.end()) {
    out.push_back({at + field(name), "missing"});
    return nullptr;
  }
  if (!it->is_string()) {
    out.push_back({at + field(name), "must be a string" + got(*it)});
    return nullptr;
  }
  return &it->get_ref<const std::string&>();
}

// `$nodes` for the nodes that read it: the results of the nodes before them, by name. (ZEN's
// holds every node its walk has run so far; here the ones every execution has run by then.)
void add_nodes_views(GraphDef& graph) {
  std::map<std::string_view, std::size_t> position;
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    position.emplace(graph.nodes[i].id, i);
  }
  std::vector<std::vector<std::size_t>> parents(graph.nodes.size());
  for (const EdgeDef& edge : graph.edges) {
    const auto from = position.find(edge.from);
    const auto to = position.find(edge.to);
    if (from != position.end() && to != position.end()) {
      parents[to->second].push_back(from->second);
    }
  }
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    NodeDef& node = graph.nodes[n];
    if (node.config["content"].dump().find("$nodes") == std::string::npos) {
      continue;
    }
    std::vector<bool> seen(graph.nodes.size(), false);
    std::vector<std::size_t> stack{n};
    Json view = Json::array();
    while (!stack.empty()) {
      const std::size_t at = stack.back();
      stack.pop_back();
      for (const std::size_t parent : parents[at]) {
        if (seen[parent]) {
          continue;
        }
        seen[parent] = true;
        const NodeDef& def = graph.nodes[parent];
        view.push_back({{"id", def.id}, {"name", def.config.value("name", "")}});
        stack.push_back(parent);
      }
    }
    node.config["nodes_view"] = std::move(view);
  }
}

}  // namespace

bool is_jdm(const Json& json) {
  if (!json.is_object()) {
    return false;
  }
  // Edges say it (`sourceId`, not `from`: a JDM graph written back in the native form keeps
  // its node types); without edges, the node kinds do.
  const auto edges = json.find("edges");
  if (edges != json.end() && edges->is_array()) {
    for (const Json& edge : *edges) {
      if (edge.is_object() && edge.contains("sourceId")) {
        return true;
      }
      if (edge.is_object() && edge.contains("from")) {
        return false;
      }
    }
  }
  const auto nodes = json.find("nodes");
  if (nodes == json.end() || !nodes->is_array()) {
    return false;
  }
  return std::any_of(nodes->begin(), nodes->end(), [](const Json& node) {
    return node.is_object() && node.contains("type") && is_kind(node["type"]);
  });
}

GraphDef read_jdm(const Json& json, GraphLocations& where, std::vector<Diagnostic>& out) {
  GraphDef graph;
  graph.input_key = jdm_input_key;
  graph.result = jdm_result_id;
  if (const auto name = json.find("name"); name != json.end() && name->is_string()) {
    graph.name = name->get<std::string>();
  }
  const auto nodes = json.find("nodes");
  const auto edges = json.find("edges");
  if (nodes == json.end() || !nodes->is_array()) {
    out.push_back({where.source + field("nodes"), "a JDM graph needs an array of nodes"});
    return graph;
  }
  if (edges == json.end() || !edges->is_array()) {
    out.push_back({where.source + field("edges"), "a JDM graph needs an array of edges"});
    return graph;
  }

  std::map<std::string, SwitchInfo, std::less<>> switches;
  std::size_t inputs = 0;
  std::size_t branch_count = 0;
  Json result_nodes = Json::array();
  for (std::size_t i = 0; i < nodes->size(); ++i) {
    const Json& node = (*nodes)[i];
    const std::string at = where.at(jdm_node_place(i, node));
    if (!node.is_object()) {
      out.push_back({at, "a JDM node must be an object" + got(node)});
      continue;
    }
    const std::string* id = string_field(node, "id", at, out);
    const std::string* name = string_field(node, "name", at, out);
    const std::string* kind = string_field(node, "type", at, out);
    if (id == nullptr || name == nullptr || kind == nullptr) {
      continue;
    }
    if (!is_kind(node["type"])) {
      out.push_back({at + field("type"),
                     fmt::format("unknown JDM node type {}; ZEN's are inputNode, outputNode, "
                                 "expressionNode, decisionTableNode, switchNode, decisionNode, "
                                 "functionNode and customNode",
                                 in_quotes(*kind))});
      continue;
    }
    if (id->starts_with("jdm_branch_") || *id == jdm_input_key || *id == jdm_result_id) {
      out.push_back({at + field("id"),
                     fmt::format("{} is reserved for the engine's own keys", in_quotes(*id))});
      continue;
    }
    Json content = node.contains("content") ? node["content"] : Json::object();
    const bool content_optional = *kind == "inputNode" || *kind == "outputNode";
    if (!node.contains("content") && !content_optional) {
      out.push_back({at + field("content"), "missing"});
      continue;
    }
    if (!content.is_object() && !(*kind == "functionNode" && content.is_string())) {
      out.push_back({at + field("content"), "must be an object" + got(content)});
      continue;
    }
    Json config = {{"name", *name}, {"content", std::move(content)}, {"parents", Json::array()}};
    if (*kind == "inputNode") {
      ++inputs;
      config["input_key"] = jdm_input_key;
    } else if (*kind == "switchNode") {
      SwitchInfo info;
      Json branches = Json::array();
      const Json& statements = config["content"].value("statements", Json::array());
      if (statements.is_array()) {
        for (const Json& statement : statements) {
          std::string key = fmt::format("jdm_branch_{}", branch_count++);
          if (statement.is_object() && statement.contains("id") && statement["id"].is_string()) {
            info.branch_keys[statement["id"].get<std::string>()].push_back(key);
          }
          branches.push_back(std::move(key));
        }
      }
      config["branches"] = std::move(branches);
      switches.emplace(*id, std::move(info));
    }
    result_nodes.push_back({{"id", *id}, {"type", *kind}});
    graph.nodes.push_back({*id, *kind, std::move(config)});
    where.node_index.push_back(i);
  }
  if (inputs != 1) {
    out.push_back({where.source + field("nodes"),
                   fmt::format("a JDM graph needs exactly one inputNode, found {}", inputs)});
  }

  std::map<std::string_view, std::size_t> position;
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    position.emplace(graph.nodes[i].id, i);
  }
  // (from, to) -> the edge of the GraphDef: ZEN allows parallel edges (a switch's two
  // statements leading to one node); here they are one edge active when either is.
  std::map<std::pair<std::string, std::string>, std::size_t> merged;
  Json result_edges = Json::array();
  for (std::size_t e = 0; e < edges->size(); ++e) {
    const Json& edge = (*edges)[e];
    const std::string at = where.at(fmt::format("edges[{}]", e));
    if (!edge.is_object()) {
      out.push_back({at, "a JDM edge must be an object" + got(edge)});
      continue;
    }
    const std::string* from = string_field(edge, "sourceId", at, out);
    const std::string* to = string_field(edge, "targetId", at, out);
    if (from == nullptr || to == nullptr) {
      continue;
    }
    // Active always (no keys), never (an empty list: a switch's edge without a statement of
    // its own) or when one of the statements of its handle held (their keys).
    std::optional<std::vector<std::string>> keys;
    if (const auto sw = switches.find(*from); sw != switches.end()) {
      keys.emplace();
      const auto handle = edge.find("sourceHandle");
      if (handle != edge.end() && handle->is_string()) {
        if (const auto found = sw->second.branch_keys.find(handle->get_ref<const std::string&>());
            found != sw->second.branch_keys.end()) {
          keys = found->second;
        }
      }
    }
    std::optional<std::string> when;
    if (keys) {
      when = keys->empty() ? std::string("false") : fmt::format("{}", fmt::join(*keys, " || "));
    }
    Json walk_edge = {{"from", *from}, {"to", *to}};
    if (keys) {
      walk_edge["when"] = *keys;
    }
    result_edges.push_back(walk_edge);
    if (const auto target = position.find(*to); target != position.end()) {
      Json parent = {{"id", *from}};
      if (keys) {
        parent["when"] = *keys;
      }
      graph.nodes[target->second].config["parents"].push_back(std::move(parent));
    }
    const auto [slot, inserted] = merged.try_emplace({*from, *to}, graph.edges.size());
    if (inserted) {
      graph.edges.push_back({*from, *to, when, std::nullopt});
      where.edge_index.push_back(e);
      continue;
    }
    std::optional<std::string>& both = graph.edges[slot->second].when;
    if (!when || !both) {
      both.reset();
    } else if (*both == "false") {
      both = when;
    } else if (*when != "false") {
      both = fmt::format("{} || {}", *both, *when);
    }
  }
  // ZEN merges a node's parents in the reverse order of their edges (the first edge's parent
  // last, so that it wins).
  for (NodeDef& node : graph.nodes) {
    Json& parents = node.config["parents"];
    std::reverse(parents.begin(), parents.end());
  }

  add_nodes_views(graph);

  const std::size_t jdm_nodes = graph.nodes.size();
  graph.nodes.push_back({jdm_result_id,
                         "jdmResult",
                         {{"nodes", std::move(result_nodes)}, {"edges", std::move(result_edges)}}});
  where.node_index.push_back(nodes->size());
  for (std::size_t i = 0; i < jdm_nodes; ++i) {
    graph.edges.push_back({graph.nodes[i].id, jdm_result_id, std::nullopt, std::nullopt});
    where.edge_index.push_back(edges->size() + i);
  }
  return graph;
}

}  // namespace lg::detail
