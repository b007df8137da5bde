#include "jdm/jdm_data.hpp"
#include "jdm/jdm_nodes.hpp"

#include <logic_graph/engine/node/node_registry.hpp>

#include <array>
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
      nodes_.push_back({node.at("id").get<std::string>(),
                        type == "inputNode",
                        type == "outputNode",
                        type == "switchNode",
                        {},
                        {}});
    }
    for (const Json& edge : def.config.at("edges")) {
      const auto from = index.find(edge.at("from").get<std::string>());
      const auto to = index.find(edge.at("to").get<std::string>());
      if (from != index.end() && to != index.end()) {
        edges_.push_back({from->second, to->second, read_parent(edge, "from")});
      }
    }
    // petgraph lists a node's edges newest first; so do these lists.
    for (std::size_t e = edges_.size(); e-- > 0;) {
      nodes_[edges_[e].to].in.push_back(e);
      nodes_[edges_[e].from].out.push_back(e);
    }
  }

 protected:
  Json do_run(NodeScope& scope) const override {
    Walk walk(*this, scope);
    walk.run();
    Value result = Value::object({});
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      if (walk.node_alive[n] && walk.visited[n] && walk.live[n][Walk::out] == 0) {
        if (const std::optional<Value> data = output_of(scope, nodes_[n].id)) {
          result = result.merged(*data);
        }
      }
    }
    result = result.without("$nodes");
    return publish(scope, std::move(result));
  }

 private:
  struct WalkNode {
    std::string id;
    bool input;
    bool output;
    bool is_switch;
    std::vector<std::size_t> in;   // incoming edges, newest first
    std::vector<std::size_t> out;  // outgoing edges, newest first
  };
  struct WalkEdge {
    std::size_t from;
    std::size_t to;
    Parent when;  // whether it is taken (its `id` is the source's)
  };

  // One replay of ZEN's walk (its DecisionGraph::evaluate and GraphWalker::next).
  struct Walk {
    enum Direction { in = 0, out = 1 };

    Walk(const ResultNode& node, const NodeScope& scope)
        : self(node),
          scope(scope),
          node_alive(node.nodes_.size(), true),
          edge_alive(node.edges_.size(), true),
          visited(node.nodes_.size(), false),
          executed(node.nodes_.size(), false),
          evaluated(node.nodes_.size(), false),
          live(node.nodes_.size()) {
      for (std::size_t n = 0; n < node.nodes_.size(); ++n) {
        live[n][in] = node.nodes_[n].in.size();
        live[n][out] = node.nodes_[n].out.size();
      }
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

    // The live edges of `n` in `direction`, newest first: a copy, for loops that remove edges.
    [[nodiscard]] std::vector<std::size_t> edges(std::size_t n, Direction direction) const {
      std::vector<std::size_t> found;
      for (const std::size_t e : direction == in ? self.nodes_[n].in : self.nodes_[n].out) {
        if (edge_alive[e]) {
          found.push_back(e);
        }
      }
      return found;
    }

    void kill(std::size_t e) {
      if (edge_alive[e]) {
        edge_alive[e] = false;
        --live[self.edges_[e].to][in];
        --live[self.edges_[e].from][out];
      }
    }

    // ZEN's remove_edge_recursive, with a stack of its own instead of the call stack (a long
    // chain below a branch not taken would overflow that): removing an edge removes the edges
    // of a target left without parents, and of a source left without children, and then such
    // a node itself when it has no outgoing edge left.
    void remove_edge(std::size_t first) {
      struct Task {
        enum Kind { edge, check, drop } kind;
        std::size_t at;
        Direction direction = in;
      };
      std::vector<Task> tasks{{Task::edge, first}};
      while (!tasks.empty()) {
        const Task task = tasks.back();
        tasks.pop_back();
        if (task.kind == Task::edge) {
          if (!edge_alive[task.at]) {
            continue;
          }
          kill(task.at);
          const WalkEdge& e = self.edges_[task.at];
          tasks.push_back({Task::check, e.from, out});  // after the target's, as in ZEN
          tasks.push_back({Task::check, e.to, in});
        } else if (task.kind == Task::check) {
          if (live[task.at][task.direction] != 0) {
            continue;
          }
          tasks.push_back({Task::drop, task.at});
          const std::vector<std::size_t> others = edges(task.at, task.direction == in ? out : in);
          for (auto it = others.rbegin(); it != others.rend(); ++it) {
            tasks.push_back({Task::edge, *it});
          }
        } else if (node_alive[task.at] && live[task.at][out] == 0) {
          node_alive[task.at] = false;
          for (const std::size_t e : edges(task.at, in)) {
            kill(e);
          }
        }
      }
    }

    // The next node to execute, or nothing.
    bool next(std::size_t& found) {
      if (resets >= 1000) {
        return false;
      }
      while (!to_visit.empty()) {
        const std::size_t n = to_visit.back();
        to_visit.pop_back();
        if (visited[n] || !node_alive[n]) {
          continue;
        }
        bool waiting = false;
        for (const std::size_t e : self.nodes_[n].in) {
          if (edge_alive[e] && !visited[self.edges_[e].from]) {
            if (!waiting) {
              to_visit.push_back(n);
              waiting = true;
            }
            to_visit.push_back(self.edges_[e].from);
          }
        }
        if (waiting) {
          continue;
        }
        visited[n] = true;
        if (self.nodes_[n].is_switch && !evaluated[n]) {
          evaluated[n] = true;
          bool removed = false;
          for (const std::size_t e : edges(n, out)) {
            if (!taken(self.edges_[e].when, scope)) {
              remove_edge(e);
              removed = true;
            }
          }
          if (removed) {
            ++resets;  // (ZEN looks at the count when next() is called again)
            restart();
            continue;
          }
        }
        for (const std::size_t e : self.nodes_[n].out) {
          if (edge_alive[e]) {
            to_visit.push_back(self.edges_[e].to);
          }
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
    std::vector<std::array<std::size_t, 2>> live;  // live edge counts, by direction
    std::vector<std::size_t> to_visit;
    int resets = 0;
  };

  std::vector<WalkNode> nodes_;
  std::vector<WalkEdge> edges_;
};

}  // namespace

void register_result_node(NodeRegistry& registry) {
  add_node(registry, "jdmResult",
           [](const NodeBuild& build) { return std::make_unique<ResultNode>(build.def()); });
}

}  // namespace lg::jdm
