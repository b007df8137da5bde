#pragma once

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/node/node_error.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

// The child graph of a graph node (`subgraph`, `foreach`, `loop`).
namespace lg::detail {

/// The child graph of the node: `graph` (a definition inline) or `file` (a graph file, relative
/// to the parent graph's file, read once here), compiled on the node's runtime. Throws
/// ConfigError naming the field, and for a file that includes itself (directly or through
/// others) the chain of files.
[[nodiscard]] std::shared_ptr<Executor> child_graph(const NodeBuild& build);

/// The error of a child graph's failed execution as the parent node reports it: the failed
/// child node named by its path (`parent/child`), the kind kept, the error as the cause.
[[nodiscard]] NodeError child_failure(const std::exception_ptr& error, const std::string& parent);

/// A key and the expression that gives its value (`subgraph`'s `input` and `output`, `foreach`'s
/// `input`, `loop`'s `state`).
struct KeyedExpression {
  std::string key;
  Expression value;
};

/// The object field `field` (key -> expression) compiled, in key order; empty when absent.
[[nodiscard]] std::vector<KeyedExpression> keyed_expressions(const NodeDef& def,
                                                             std::string_view field);

}  // namespace lg::detail
