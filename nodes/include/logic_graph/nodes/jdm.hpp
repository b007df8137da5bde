#pragma once

#include <logic_graph/engine/exec/execution_result.hpp>
#include <logic_graph/engine/expr/zen_shared_value.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <functional>
#include <string>

// GoRules ZEN's JSON Decision Model: GraphDef reads JDM documents (graph_def.hpp) and
// builtin_nodes() runs their nodes. What a user can change: where sub-decisions come from.
namespace lg::jdm {

/// Finds the model a `decisionNode` names (its `content.key`) for the graph `parent` that holds
/// the node; throws (GraphError, say) when there is none.
using Loader = std::function<GraphDef(const std::string& key, const GraphDef& parent)>;

/// The default loader: `key` as a file path relative to the folder of `parent`'s file
/// (GraphDef::source), as ZEN's filesystem loader reads it.
[[nodiscard]] GraphDef load_file(const std::string& key, const GraphDef& parent);

/// Makes the `decisionNode`s that `registry` builds load their models with `loader`.
///
/// @code
/// lg::NodeRegistry registry = lg::builtin_nodes();
/// lg::jdm::set_loader(registry, [&store](const std::string& key, const lg::GraphDef&) {
///   return lg::GraphDef::parse(store.at(key), key);  // models kept in memory
/// });
/// @endcode
void set_loader(NodeRegistry& registry, Loader loader);

/// The result of a JDM graph's execution as ZEN computed it, with its decimals exact: dump()
/// writes it out as ZEN does, to_json() gives JSON (doubles). Valid while `result` is; nullptr
/// for a graph that is not JDM. (JDM nodes, the result node too, pass their outputs as such
/// values: the context holds them as JSON only in a traced execution.)
///
/// @code
/// const lg::ExecutionResult run = executor.run(input);
/// std::cout << lg::jdm::decision(run, model)->dump() << '\n';
/// @endcode
[[nodiscard]] inline const zen::SharedValue* decision(const ExecutionResult& result,
                                                      const GraphDef& graph) noexcept {
  return graph.result.empty() ? nullptr : result.kept<zen::SharedValue>(graph.result);
}

/// How deep sub-decisions nest, as ZEN's `max_depth`: a decision node whose model would run at
/// this depth fails, when it runs, with "Depth limit exceeded" (so a model that includes itself
/// ends there, as in ZEN).
inline constexpr int max_depth = 10;

}  // namespace lg::jdm
