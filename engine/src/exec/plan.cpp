#include "exec/plan.hpp"

#include "graph/graph_where.hpp"

#include <algorithm>

namespace lg::detail {
namespace {

std::string node_where(const GraphDef& graph, std::size_t i) {
  return graph.source + ": " + node_place(i, graph.nodes[i].id, true);
}

std::string edge_where(const GraphDef& graph, std::size_t i) {
  return graph.source + ": " + edge_place(i, graph.edges[i].from, graph.edges[i].to, true);
}

// A node's `concurrency` (any node type may have one, unless its type claims the field for
// itself: NodeRegistry::claim_concurrency): a positive integer.
std::unique_ptr<ConcurrencyLimit> read_limit(const NodeDef& def) {
  const auto found = def.config.find("concurrency");
  if (found == def.config.end()) {
    return nullptr;
  }
  const bool positive =
      found->is_number_integer() && (found->is_number_unsigned() || found->get<std::int64_t>() > 0);
  if (!positive || found->get<std::uint64_t>() == 0 ||
      found->get<std::uint64_t>() > (std::uint64_t{1} << 31)) {
    throw ConfigError("concurrency",
                      std::string("must be a positive integer (at most 2^31), found ") +
                          (found->is_number() ? found->dump() : found->type_name()));
  }
  return std::make_unique<ConcurrencyLimit>(found->get<std::uint32_t>());
}

// Instantiates every node through the registry, collecting every problem.
void create_nodes(const GraphDef& graph, const NodeRegistry& registry,
                  const std::shared_ptr<Runtime>& runtime, Plan& plan,
                  std::vector<Diagnostic>& problems) {
  plan.nodes.resize(graph.nodes.size());
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const NodeDef& def = graph.nodes[i];
    if (!registry.contains(def.type)) {
      problems.push_back(
          {node_where(graph, i) + ": field 'type'", "unknown node type " + in_quotes(def.type)});
      continue;
    }
    try {
      PlanNode& planned = plan.nodes[i];
      planned.limit = registry.claims_concurrency(def.type) ? nullptr : read_limit(def);
      planned.node =
          registry.create(NodeBuild(def, registry, &graph, runtime, node_where(graph, i),
                                    &plan.index, [](const void* ids, std::string_view id) noexcept {
                                      const auto& index =
                                          *static_cast<const decltype(Plan::index)*>(ids);
                                      return index.find(id) != index.end();
                                    }));
      planned.id_hash = Context::hash(def.id);
      planned.sync = dynamic_cast<const SyncNode*>(planned.node.get());
      planned.may_suspend = planned.node->may_suspend();
      plan.has_async = plan.has_async || planned.may_suspend;
      plan.has_limits = plan.has_limits || planned.limit != nullptr;
    } catch (const ConfigError& e) {
      const std::string field = e.field().empty() ? "" : ": field " + in_quotes(e.field());
      problems.push_back({node_where(graph, i) + field, e.reason()});
    } catch (const std::exception& e) {
      problems.push_back({node_where(graph, i), e.what()});
    }
  }
}

// Groups edges by source node and compiles their conditions.
void link_edges(const GraphDef& graph, Plan& plan, std::vector<Diagnostic>& problems) {
  std::vector<std::uint32_t> order(graph.edges.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  const auto source = [&](std::uint32_t edge) { return plan.index.at(graph.edges[edge].from); };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return source(a) < source(b); });
  plan.edges.reserve(order.size());
  for (const std::uint32_t e : order) {
    const EdgeDef& def = graph.edges[e];
    PlanEdge edge;
    edge.to = plan.index.at(def.to);
    if (def.when) {
      try {
        edge.when = Expression::parse(*def.when);
      } catch (const ExpressionError& error) {
        problems.push_back({edge_where(graph, e) + ": field 'when'", error.what()});
      }
    }
    PlanNode& from = plan.nodes[source(e)];
    if (from.edge_count == 0) {
      from.first_edge = static_cast<std::uint32_t>(plan.edges.size());
    }
    ++from.edge_count;
    ++plan.nodes[edge.to].in_degree;
    plan.edges.push_back(std::move(edge));
  }
}

}  // namespace

Plan Plan::build(const GraphDef& graph, const NodeRegistry& registry,
                 const std::shared_ptr<Runtime>& runtime) {
  std::vector<Diagnostic> problems = graph.validate();
  if (!problems.empty()) {
    throw GraphError(std::move(problems));  // the rest assumes a sound structure
  }
  Plan plan;
  plan.name = graph.name;
  plan.input_key = graph.input_key;
  plan.index.reserve(graph.nodes.size());
  for (std::uint32_t i = 0; i < graph.nodes.size(); ++i) {
    plan.index.emplace(graph.nodes[i].id, i);
  }
  create_nodes(graph, registry, runtime, plan, problems);
  link_edges(graph, plan, problems);
  if (!problems.empty()) {
    throw GraphError(std::move(problems));
  }
  for (std::uint32_t i = 0; i < plan.nodes.size(); ++i) {
    if (plan.nodes[i].in_degree == 0) {
      plan.roots.push_back(i);
    }
  }
  for (PlanEdge& edge : plan.edges) {
    edge.sole_input = plan.nodes[edge.to].in_degree == 1;
  }
  return plan;
}

std::int64_t Plan::find(std::string_view id) const noexcept {
  const auto found = index.find(id);
  return found == index.end() ? -1 : static_cast<std::int64_t>(found->second);
}

}  // namespace lg::detail
