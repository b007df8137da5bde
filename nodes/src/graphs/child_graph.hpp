#pragma once

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/node/node_error.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <memory>
#include <string>

// The child graph of a graph node (`subgraph`; `foreach` and `loop` to come).
namespace lg::detail {

/// The child graph of the node: `graph` (a definition inline) or `file` (a graph file, relative
/// to the parent graph's file, read once here), compiled on the node's runtime. Throws
/// ConfigError naming the field, and for a file that includes itself (directly or through
/// others) the chain of files.
[[nodiscard]] std::shared_ptr<Executor> child_graph(const NodeBuild& build);

/// The error of a child graph's failed execution as the parent node reports it: the failed
/// child node named by its path (`parent/child`), the kind kept, the error as the cause.
[[nodiscard]] NodeError child_failure(const std::exception_ptr& error, const std::string& parent);

}  // namespace lg::detail
