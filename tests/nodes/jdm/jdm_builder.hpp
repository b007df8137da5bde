#pragma once

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>
#include <logic_graph/nodes/jdm.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>

// JDM documents for tests, written in a few lines: nodes named by their id, edges in order.
namespace lg::test {

class Jdm {
 public:
  using Json = nlohmann::json;

  Jdm& node(const std::string& id, const std::string& type, Json content = Json::object()) {
    Json node = {{"id", id}, {"name", id}, {"type", type}, {"position", {{"x", 0}, {"y", 0}}}};
    if (!content.is_null()) {
      node["content"] = std::move(content);
    }
    nodes_.push_back(std::move(node));
    return *this;
  }
  Jdm& input(const std::string& id = "in") { return node(id, "inputNode", nullptr); }
  Jdm& output(const std::string& id = "out") { return node(id, "outputNode", nullptr); }
  /// {key, value} pairs in order; `extra` adds content fields (passThrough, inputField, ...).
  Jdm& expression(const std::string& id, const Json& pairs, Json extra = Json::object()) {
    Json list = Json::array();
    for (const Json& pair : pairs) {
      list.push_back(
          {{"id", fmt::format("e{}", list.size())}, {"key", pair[0]}, {"value", pair[1]}});
    }
    extra["expressions"] = std::move(list);
    return node(id, "expressionNode", std::move(extra));
  }
  /// Columns as [id, field]; rules as objects column id -> cell.
  Jdm& table(const std::string& id, const std::string& hit, const Json& inputs, const Json& outputs,
             Json rules, Json extra = Json::object()) {
    Json in = Json::array();
    for (const Json& column : inputs) {
      in.push_back({{"id", column[0]}, {"name", column[0]}, {"field", column[1]}});
    }
    Json out = Json::array();
    for (const Json& column : outputs) {
      out.push_back({{"id", column[0]}, {"name", column[0]}, {"field", column[1]}});
    }
    extra["hitPolicy"] = hit;
    extra["inputs"] = std::move(in);
    extra["outputs"] = std::move(out);
    extra["rules"] = std::move(rules);
    return node(id, "decisionTableNode", std::move(extra));
  }
  /// Statements as [id, condition].
  Jdm& switch_node(const std::string& id, const std::string& hit, const Json& statements) {
    Json list = Json::array();
    for (const Json& statement : statements) {
      list.push_back({{"id", statement[0]}, {"condition", statement[1]}});
    }
    return node(id, "switchNode", {{"hitPolicy", hit}, {"statements", std::move(list)}});
  }
  Jdm& edge(const std::string& from, const std::string& to, const std::string& handle = {}) {
    Json edge = {{"id", fmt::format("edge{}", edges_.size())},
                 {"sourceId", from},
                 {"targetId", to},
                 {"type", "edge"}};
    if (!handle.empty()) {
      edge["sourceHandle"] = handle;
    }
    edges_.push_back(std::move(edge));
    return *this;
  }

  [[nodiscard]] Json doc() const { return {{"nodes", nodes_}, {"edges", edges_}}; }
  [[nodiscard]] GraphDef graph() const { return GraphDef::from_json(doc(), "model.json"); }

  /// ZEN's result for `input`.
  [[nodiscard]] Json decide(const Json& input,
                            const NodeRegistry& registry = builtin_nodes()) const {
    const GraphDef model = graph();
    Executor executor{model, registry, {.threads = 2}};
    const ExecutionResult result = executor.run(input);
    const zen::SharedValue* value = jdm::decision(result, model);
    return value != nullptr ? value->to_json() : Json();
  }

 private:
  Json nodes_ = Json::array();
  Json edges_ = Json::array();
};

}  // namespace lg::test
