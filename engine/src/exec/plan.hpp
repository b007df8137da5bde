#pragma once

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include "exec/concurrency_limit.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lg::detail {

/// An edge as the scheduler walks it.
struct PlanEdge {
  std::uint32_t to = 0;
  /// Whether this is the target's only incoming edge (it then decides alone, with no shared
  /// counter); here so that settling the edge does not read the target node.
  bool sole_input = false;
  std::optional<Expression> when;  ///< absent: always active
};

/// A node as the scheduler runs it.
struct PlanNode {
  std::unique_ptr<Node> node;
  const SyncNode* sync = nullptr;  ///< set for synchronous nodes: run() with no NodeRun
  bool may_suspend = false;        ///< needs a scope that outlives start() (its AsyncSlot's)
  std::unique_ptr<ConcurrencyLimit> limit;  ///< the node's `concurrency`, when it has one
  std::uint32_t first_edge = 0;  ///< outgoing edges: edges[first_edge, first_edge + edge_count)
  std::uint32_t edge_count = 0;
  std::uint32_t in_degree = 0;
  std::size_t id_hash = 0;  ///< Context::hash of the id, under which the result is stored
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

/// What an executor computes once from a GraphDef: node instances, successors, in-degrees and
/// compiled edge conditions. Immutable afterwards, shared by every execution.
struct Plan {
  std::string name;
  std::string input_key;  ///< GraphDef::input_key: the input is stored whole under it
  std::vector<PlanNode> nodes;
  std::vector<PlanEdge> edges;  ///< grouped by source node
  std::vector<std::uint32_t> roots;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> index;
  bool has_async = false;   ///< some node may suspend
  bool has_limits = false;  ///< some node has a concurrency limit

  /// Validates `graph` (structure, node types, configs, edge conditions) and builds the plan;
  /// nodes are built for `runtime`. Throws GraphError with every problem found.
  static Plan build(const GraphDef& graph, const NodeRegistry& registry,
                    const std::shared_ptr<Runtime>& runtime);

  /// The position of node `id`, or -1.
  [[nodiscard]] std::int64_t find(std::string_view id) const noexcept;
};

}  // namespace lg::detail
