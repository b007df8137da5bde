#include "jdm/jdm_data.hpp"
#include "jdm/jdm_nodes.hpp"

#include <logic_graph/engine/node/node_registry.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace lg::jdm {
namespace {

/// The last node of a JDM graph: ZEN's result from what the nodes computed. ZEN walks the
/// graph depth-first from the input node, removes the edges of a switch's branches not taken
/// when it reaches the switch (with the nodes left without parents below it, and those left
/// without children above it) and starts again, and stops at the first output node; the result
/// is the merge of the nodes visited last that have no outgoing edges, in the order of the
/// document. This node replays that walk over the results, so that which nodes count is ZEN's.
class ResultNode final : public SyncNode {
 public:
  explicit ResultNode(const NodeDef& def) : SyncNode(def) {
    std::map<std::string, std::size_t, std::less<>> index;
    for (const Json& node : def.config.at("nodes")) {
      index.emplace(node.at("id").get<std::string>(), nodes_.size());
      const std::string type = node.at("type").get<std::string>();
      nodes_.push_back({node.at("id").get<std::string>(), type == "inputNode", type == "outputNode",
                        type == "switchNode"});
    }
    for (const Json& edge : def.config.at("edges")) {
      const auto from = index.find(edge.at("from").get<std::string>());
      const auto to = index.find(edge.at("to").get<std::string>());
      if (from != index.end() && to != index.end()) {
        edges_.push_back({from->second, to->second, edge.value("when", "")});
      }
    }
  }

 protected:
  Json do_run(NodeScope& scope) const override {
    Walk walk(*this, scope);
    walk.run();
    Json result = Json::object();
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      if (walk.node_alive[n] && walk.visited[n] && !walk.has(n, Walk::out)) {
        if (const Json* data = scope.get(nodes_[n].id)) {
          merge(result, *data);
        }
      }
    }
    strip_nodes_keys(result);
    return result;
  }

 private:
  struct WalkNode {
    std::string id;
    bool input;
    bool output;
    bool is_switch;
  };
  struct WalkEdge {
    std::size_t from;
    std::size_t to;
    std::string when;  // a switch's branch key; "false": never; empty: always
  };

  // One replay of ZEN's walk (its DecisionGraph::evaluate and GraphWalker::next).
  struct Walk {
    enum Direction { in, out };

    Walk(const ResultNode& node, const NodeScope& scope)
        : self(node),
          scope(scope),
          node_alive(node.nodes_.size(), true),
          edge_alive(node.edges_.size(), true),
          visited(node.nodes_.size(), false),
          executed(node.nodes_.size(), false),
          evaluated(node.nodes_.size(), false) {
      restart();
    }

    void restart() {
      visited.assign(visited.size(), false);
      to_visit.clear();
      for (std::size_t n = 0; n < self.nodes_.size(); ++n) {
        if (self.nodes_[n].input && node_alive[n]) {
          to_visit.push_back(n);
        }
      }
    }

    // Edges of `n` in `direction`, the last added first (petgraph's order).
    [[nodiscard]] std::vector<std::size_t> edges(std::size_t n, Direction direction) const {
      std::vector<std::size_t> found;
      for (std::size_t e = self.edges_.size(); e-- > 0;) {
        const WalkEdge& edge = self.edges_[e];
        if (edge_alive[e] && (direction == in ? edge.to : edge.from) == n) {
          found.push_back(e);
        }
      }
      return found;
    }
    [[nodiscard]] bool has(std::size_t n, Direction direction) const {
      for (std::size_t e = 0; e < self.edges_.size(); ++e) {
        const WalkEdge& edge = self.edges_[e];
        if (edge_alive[e] && (direction == in ? edge.to : edge.from) == n) {
          return true;
        }
      }
      return false;
    }

    void remove_edge(std::size_t e) {
      if (!edge_alive[e]) {
        return;
      }
      edge_alive[e] = false;
      const WalkEdge& edge = self.edges_[e];
      for (const auto& [n, direction] : {std::pair{edge.to, in}, std::pair{edge.from, out}}) {
        if (has(n, direction)) {
          continue;
        }
        for (const std::size_t other : edges(n, direction == in ? out : in)) {
          remove_edge(other);
        }
        if (!has(n, out)) {
          node_alive[n] = false;
          for (const std::size_t other : edges(n, in)) {
            edge_alive[other] = false;
          }
        }
      }
    }

    [[nodiscard]] bool taken(const WalkEdge& edge) const {
      if (edge.when.empty()) {
        return true;
      }
      const Json* value = scope.get(edge.when);
      return value != nullptr && *value == true;
    }

    // The next node to execute, or nothing.
    bool next(std::size_t& found) {
      while (resets < 1000 && !to_visit.empty()) {
        const std::size_t n = to_visit.back();
        to_visit.pop_back();
        if (visited[n] || !node_alive[n]) {
          continue;
        }
        std::vector<std::size_t> waiting;
        for (const std::size_t e : edges(n, in)) {
          if (!visited[self.edges_[e].from]) {
            waiting.push_back(self.edges_[e].from);
          }
        }
        if (!waiting.empty()) {
          to_visit.push_back(n);
          to_visit.insert(to_visit.end(), waiting.begin(), waiting.end());
          continue;
        }
        visited[n] = true;
        if (self.nodes_[n].is_switch && !evaluated[n]) {
          evaluated[n] = true;
          bool removed = false;
          for (const std::size_t e : edges(n, out)) {
            if (!taken(self.edges_[e])) {
              remove_edge(e);
              removed = true;
            }
          }
          if (removed) {
            ++resets;
            restart();
            continue;
          }
        }
        for (const std::size_t e : edges(n, out)) {
          to_visit.push_back(self.edges_[e].to);
        }
        found = n;
        return true;
      }
      return false;
    }

    void run() {
      std::size_t n = 0;
      while (next(n)) {
        if (executed[n]) {
          continue;
        }
        executed[n] = true;
        if (self.nodes_[n].output) {
          break;
        }
      }
    }

    const ResultNode& self;
    const NodeScope& scope;
    std::vector<bool> node_alive;
    std::vector<bool> edge_alive;
    std::vector<bool> visited;
    std::vector<bool> executed;
    std::vector<bool> evaluated;
    std::vector<std::size_t> to_visit;
    int resets = 0;
  };

  std::vector<WalkNode> nodes_;
  std::vector<WalkEdge> edges_;
};

}  // namespace

void register_result_node(NodeRegistry& registry) {
  registry.add("jdmResult", [](const NodeDef& def) { return std::make_unique<ResultNode>(def); });
}

}  // namespace lg::jdm
