#include "graph/graph_check.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>

#include <algorithm>
#include <functional>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace lg::detail {
namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

struct PairHash {
  std::size_t operator()(const std::pair<std::size_t, std::size_t>& p) const noexcept {
    return std::hash<std::size_t>{}(p.first * 0x9e3779b97f4a7c15ULL ^ p.second);
  }
};

/// Successor lists of the graph's nodes in one array (compressed sparse rows).
struct Adjacency {
  std::vector<std::size_t> offsets;  // successors of v: targets[offsets[v] .. offsets[v + 1])
  std::vector<std::size_t> targets;
};

Adjacency make_adjacency(std::size_t node_count,
                         const std::vector<std::pair<std::size_t, std::size_t>>& arcs) {
  Adjacency adjacency;
  adjacency.offsets.assign(node_count + 1, 0);
  for (const auto& arc : arcs) {
    ++adjacency.offsets[arc.first + 1];
  }
  for (std::size_t v = 0; v < node_count; ++v) {
    adjacency.offsets[v + 1] += adjacency.offsets[v];
  }
  adjacency.targets.resize(arcs.size());
  std::vector<std::size_t> fill(adjacency.offsets.begin(), adjacency.offsets.end() - 1);
  for (const auto& arc : arcs) {
    adjacency.targets[fill[arc.first]++] = arc.second;
  }
  return adjacency;
}

/// Tarjan's strongly connected components with an explicit stack, so that a long chain cannot
/// overflow the call stack. Returns the component of each node; every cycle lies inside one
/// component of more than one node (self-loops are left out of the adjacency).
std::vector<std::size_t> find_components(const Adjacency& adjacency) {
  const std::size_t n = adjacency.offsets.size() - 1;
  std::vector<std::size_t> order(n, none);
  std::vector<std::size_t> low(n, 0);
  std::vector<std::size_t> component(n, none);
  std::vector<std::size_t> open;  // visited nodes not yet placed in a component
  struct Frame {
    std::size_t node;
    std::size_t next;  // index into adjacency.targets
  };
  std::vector<Frame> frames;
  std::size_t counter = 0;
  std::size_t component_count = 0;

  for (std::size_t root = 0; root < n; ++root) {
    if (order[root] != none) {
      continue;
    }
    order[root] = low[root] = counter++;
    open.push_back(root);
    frames.push_back({root, adjacency.offsets[root]});
    while (!frames.empty()) {
      const std::size_t v = frames.back().node;
      if (frames.back().next < adjacency.offsets[v + 1]) {
        const std::size_t w = adjacency.targets[frames.back().next++];
        if (order[w] == none) {
          order[w] = low[w] = counter++;
          open.push_back(w);
          frames.push_back({w, adjacency.offsets[w]});
        } else if (component[w] == none) {
          low[v] = std::min(low[v], order[w]);
        }
        continue;
      }
      frames.pop_back();
      if (!frames.empty()) {
        const std::size_t parent = frames.back().node;
        low[parent] = std::min(low[parent], low[v]);
      }
      if (low[v] == order[v]) {
        std::size_t w = none;
        do {
          w = open.back();
          open.pop_back();
          component[w] = component_count;
        } while (w != v);
        ++component_count;
      }
    }
  }
  return component;
}

/// The shortest cycle through `start` inside its component, as nodes from `start` back to it.
/// `parent` is all `none` on entry and on return.
std::vector<std::size_t> shortest_cycle(const Adjacency& adjacency,
                                        const std::vector<std::size_t>& component,
                                        std::size_t start, std::vector<std::size_t>& parent) {
  std::vector<std::size_t> queue{start};
  parent[start] = start;
  std::size_t last = none;
  for (std::size_t head = 0; head < queue.size() && last == none; ++head) {
    const std::size_t v = queue[head];
    for (std::size_t e = adjacency.offsets[v]; e < adjacency.offsets[v + 1]; ++e) {
      const std::size_t w = adjacency.targets[e];
      if (w == start) {
        last = v;
        break;
      }
      if (component[w] == component[start] && parent[w] == none) {
        parent[w] = v;
        queue.push_back(w);
      }
    }
  }
  std::vector<std::size_t> cycle{start};
  for (std::size_t v = last; v != start; v = parent[v]) {
    cycle.push_back(v);
  }
  std::reverse(cycle.begin() + 1, cycle.end());
  cycle.push_back(start);
  for (const std::size_t v : queue) {
    parent[v] = none;  // ready for the next component without clearing the whole array
  }
  return cycle;
}

void report_cycles(const GraphDef& graph, const GraphLocations& where,
                   const std::vector<std::pair<std::size_t, std::size_t>>& arcs,
                   std::vector<Diagnostic>& out) {
  const std::size_t n = graph.nodes.size();
  const Adjacency adjacency = make_adjacency(n, arcs);
  const std::vector<std::size_t> component = find_components(adjacency);

  // Group the nodes of each component of two or more, both in source order (one linear pass).
  std::vector<std::size_t> size(n, 0);
  for (const std::size_t c : component) {
    ++size[c];
  }
  std::vector<std::size_t> group_of(n, none);
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t v = 0; v < n; ++v) {
    const std::size_t c = component[v];
    if (size[c] < 2) {
      continue;
    }
    if (group_of[c] == none) {
      group_of[c] = groups.size();
      groups.emplace_back().reserve(size[c]);
    }
    groups[group_of[c]].push_back(v);
  }

  std::vector<std::size_t> parent(n, none);
  std::vector<bool> on_cycle(n, false);
  for (const auto& members : groups) {
    const std::size_t start = members.front();
    const std::vector<std::size_t> cycle = shortest_cycle(adjacency, component, start, parent);
    std::string message = "cycle: ";
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      message += i == 0 ? "" : " -> ";
      message += printable(graph.nodes[cycle[i]].id);
      on_cycle[cycle[i]] = true;
    }
    if (const std::size_t more = members.size() - (cycle.size() - 1); more > 0) {
      message += " (" + std::to_string(more) + " more node(s) lie on cycles with these:";
      const char* separator = " ";
      for (const std::size_t v : members) {
        if (!on_cycle[v]) {
          message += separator + in_quotes(graph.nodes[v].id);
          separator = ", ";
        }
      }
      message += ")";
    }
    out.push_back({where.at(where.node_place(graph, start)), std::move(message)});
  }
}

}  // namespace

void check_structure(const GraphDef& graph, const GraphLocations& where,
                     std::vector<Diagnostic>& out) {
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(graph.nodes.size());
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const std::string& id = graph.nodes[i].id;
    if (id.empty()) {
      out.push_back({where.at(where.node_place(graph, i)) + ": field 'id'", "must not be empty"});
      continue;
    }
    const auto [first, inserted] = index.try_emplace(id, i);
    if (!inserted) {
      out.push_back({where.at(where.node_place(graph, i)),
                     "duplicate id " + in_quotes(id) + ", already used by " +
                         where.node_place(graph, first->second)});
    }
  }

  std::vector<std::pair<std::size_t, std::size_t>> arcs;
  arcs.reserve(graph.edges.size());
  std::unordered_map<std::pair<std::size_t, std::size_t>, std::size_t, PairHash>
      seen;  // (from, to) -> first edge
  seen.reserve(graph.edges.size());
  for (std::size_t e = 0; e < graph.edges.size(); ++e) {
    const EdgeDef& edge = graph.edges[e];
    std::size_t ends[2] = {none, none};
    const std::string* names[2] = {&edge.from, &edge.to};
    for (int side = 0; side < 2; ++side) {
      const auto at_field = [&] {
        return where.at(where.edge_place(graph, e)) +
               (side == 0 ? ": field 'from'" : ": field 'to'");
      };
      if (names[side]->empty()) {
        out.push_back({at_field(), "must not be empty"});
      } else if (const auto it = index.find(*names[side]); it == index.end()) {
        out.push_back({at_field(), "unknown node " + in_quotes(*names[side])});
      } else {
        ends[side] = it->second;
      }
    }
    if (ends[0] == none || ends[1] == none) {
      continue;
    }
    if (ends[0] == ends[1]) {
      out.push_back({where.at(where.edge_place(graph, e)),
                     "self-loop: node " + in_quotes(edge.from) + " has an edge to itself"});
      continue;
    }
    if (const auto [first, inserted] = seen.try_emplace({ends[0], ends[1]}, e); !inserted) {
      out.push_back(
          {where.at(where.edge_place(graph, e)),
           "duplicate edge, same from and to as " + where.edge_place(graph, first->second)});
      continue;
    }
    arcs.emplace_back(ends[0], ends[1]);
  }

  if (!graph.result.empty() && !index.contains(graph.result)) {
    out.push_back({where.source + ": field 'result'", "unknown node " + in_quotes(graph.result)});
  }
  if (!graph.input_key.empty() && index.contains(graph.input_key)) {
    out.push_back({where.source + ": field 'input_key'",
                   "the key of node " + in_quotes(graph.input_key) + "'s result"});
  }
  report_cycles(graph, where, arcs, out);
}

}  // namespace lg::detail
