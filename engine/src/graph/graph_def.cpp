#include <logic_graph/engine/graph/graph_def.hpp>

#include "graph/graph_check.hpp"
#include "graph/graph_reader.hpp"
#include "graph/graph_text.hpp"
#include "graph/graph_where.hpp"
#include "graph/yaml_text.hpp"

#include <cctype>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <utility>

namespace lg {
namespace {

using Json = nlohmann::json;

GraphDef read_and_check(const Json& json, std::string_view source, std::vector<Diagnostic> problems,
                        detail::YamlLines* lines = nullptr) {
  if (detail::nested_too_deep(json)) {
    throw GraphError({{std::string(source), "JSON nested deeper than " +
                                                std::to_string(detail::max_nesting) + " levels"}});
  }
  detail::GraphLocations where;
  where.source = std::string(source);
  if (lines != nullptr) {
    detail::YamlLines::Entries& nodes = lines->top["nodes"];
    where.node_lines = std::move(nodes.items);
    where.keyed_node_lines = std::move(nodes.keys);
    where.edge_lines = std::move(lines->top["edges"].items);
  }
  GraphDef graph = detail::read_graph(json, where, problems);
  graph.source = where.source;
  detail::check_structure(graph, where, problems);
  if (!problems.empty()) {
    throw GraphError(std::move(problems));
  }
  return graph;
}

std::string read_file(const std::filesystem::path& file, const std::string& source) {
  const auto fail = [&source](std::string message) {
    return GraphError({{source, "cannot read the graph file: " + std::move(message)}});
  };
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (error) {
    throw fail(error.message());
  }
  if (std::filesystem::is_directory(status)) {
    throw fail("it is a directory");
  }
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw fail(errno != 0 ? std::generic_category().message(errno) : "cannot open it");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad() || text.bad()) {
    throw fail("reading failed");
  }
  return std::move(text).str();
}

}  // namespace

GraphDef GraphDef::from_json(const Json& json, std::string_view source) {
  return read_and_check(json, source, {});
}

GraphFormat graph_format_of(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  for (char& c : extension) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return extension == ".yaml" || extension == ".yml" ? GraphFormat::yaml : GraphFormat::json;
}

GraphDef GraphDef::parse(std::string_view text, std::string_view source, GraphFormat format) {
  if (format == GraphFormat::yaml) {
    detail::YamlLines lines;
    const Json json = detail::parse_yaml_text(text, source, &lines);
    return read_and_check(json, source, {}, &lines);
  }
  std::vector<Diagnostic> problems;
  const Json json = detail::parse_graph_text(text, source, problems);
  return read_and_check(json, source, std::move(problems));
}

GraphDef GraphDef::load(const std::filesystem::path& file) {
  const std::string source = file.string();
  return parse(read_file(file, source), source, graph_format_of(file));
}

Json GraphDef::to_json() const {
  Json json = Json::object();
  if (!name.empty()) {
    json["name"] = name;
  }
  if (!input_key.empty()) {
    json["input_key"] = input_key;
  }
  if (!result.empty()) {
    json["result"] = result;
  }
  Json& node_array = json["nodes"] = Json::array();
  for (const NodeDef& def : nodes) {
    Json node = def.config.is_object() ? def.config : Json::object();
    node["id"] = def.id;
    node["type"] = def.type;
    node_array.push_back(std::move(node));
  }
  Json& edge_array = json["edges"] = Json::array();
  for (const EdgeDef& def : edges) {
    Json edge = {{"from", def.from}, {"to", def.to}};
    if (def.when) {
      edge["when"] = *def.when;
    }
    if (def.label) {
      edge["label"] = *def.label;
    }
    edge_array.push_back(std::move(edge));
  }
  return json;
}

GraphDef& GraphDef::node(std::string id, std::string type, Json config) {
  nodes.push_back({std::move(id), std::move(type), std::move(config)});
  return *this;
}

GraphDef& GraphDef::edge(std::string from, std::string to, std::optional<std::string> when) {
  edges.push_back({std::move(from), std::move(to), std::move(when), std::nullopt});
  return *this;
}

std::vector<Diagnostic> GraphDef::validate() const {
  std::vector<Diagnostic> problems;
  detail::GraphLocations where;
  where.source = source;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NodeDef& node = nodes[i];
    const std::string place = where.at(where.node_place(*this, i));
    if (node.type.empty()) {
      problems.push_back({place + ": field 'type'", "must not be empty"});
    }
    if (!node.config.is_object()) {
      problems.push_back(
          {place + ": config", std::string("must be an object, got ") + node.config.type_name()});
    } else {
      for (const char* reserved : {"id", "type"}) {
        if (node.config.contains(reserved)) {
          problems.push_back({place + ": config", std::string("must not hold '") + reserved +
                                                      "': it is a field of the node itself"});
        }
      }
    }
  }
  detail::check_structure(*this, where, problems);
  return problems;
}

const NodeDef* GraphDef::find_node(std::string_view id) const noexcept {
  for (const NodeDef& node : nodes) {
    if (node.id == id) {
      return &node;
    }
  }
  return nullptr;
}

}  // namespace lg
