#pragma once

// What the GraphDef tests share: reading the problems a graph is refused for.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace lg::test {

using Json = nlohmann::json;

/// The graph's edges as "from -> to" (with " [when]" when conditional).
inline std::vector<std::string> edges_of(const GraphDef& graph) {
  std::vector<std::string> edges;
  for (const EdgeDef& edge : graph.edges) {
    // fmt, not operator+: GCC 12 at -O3 warns falsely (-Wrestrict) on string + " ".
    edges.push_back(edge.when ? fmt::format("{} -> {} [{}]", edge.from, edge.to, *edge.when)
                              : fmt::format("{} -> {}", edge.from, edge.to));
  }
  return edges;
}

/// A graph read from YAML text (named g.yaml in errors).
inline GraphDef yaml(std::string_view text) {
  return GraphDef::parse(text, "g.yaml", GraphFormat::yaml);
}

// The example graphs (LG_SOURCE_DIR: the repository, defined by the build).
inline std::filesystem::path graphs_dir() {
  return std::filesystem::path(LG_SOURCE_DIR) / "graphs";
}

template <class Read>
std::vector<lg::Diagnostic> problems_of(Read read) {
  try {
    read();
  } catch (const lg::GraphError& error) {
    CHECK(error.diagnostics().size() >= 1);
    return error.diagnostics();
  }
  FAIL("no lg::GraphError thrown");
  return {};
}

inline std::vector<lg::Diagnostic> problems_of_json(const Json& json) {
  return problems_of([&] { (void)lg::GraphDef::from_json(json, "g.json"); });
}

inline std::vector<lg::Diagnostic> problems_of_text(std::string_view text) {
  return problems_of([&] { (void)lg::GraphDef::parse(text, "g.json"); });
}

// True when one diagnostic is at exactly `where` and its message contains `part`.
inline bool has(const std::vector<lg::Diagnostic>& problems, std::string_view where,
                std::string_view part) {
  return std::any_of(problems.begin(), problems.end(), [&](const lg::Diagnostic& d) {
    return d.where == where && d.message.find(part) != std::string::npos;
  });
}

// The one problem of a graph that has exactly one.
inline lg::Diagnostic only_problem(const Json& json) {
  const auto problems = problems_of_json(json);
  REQUIRE(problems.size() == 1);
  return problems.front();
}

inline Json two_nodes(Json edges) {
  return {{"nodes", {{{"id", "a"}, {"type", "rule"}}, {{"id", "b"}, {"type", "rule"}}}},
          {"edges", std::move(edges)}};
}

constexpr std::string_view design_example = R"({
  "name": "order_flow",
  "nodes": [
    {"id": "validate", "type": "rule", "condition": "order.total > 0 && order.items > 0"},
    {"id": "price",    "type": "compute", "set": {"discount": "order.total >= 100 ? 0.1 : 0.0"}},
    {"id": "notify",   "type": "delay", "ms": 5}
  ],
  "edges": [
    {"from": "validate", "to": "price", "when": "validate"},
    {"from": "price", "to": "notify"}
  ]
})";

}  // namespace lg::test
