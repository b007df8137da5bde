#pragma once

// Everything public in one include.

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/engine/exec/execution_error.hpp>
#include <logic_graph/engine/exec/execution_result.hpp>
#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/zen_expression.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/graph/graph_error.hpp>
#include <logic_graph/engine/node/node.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_registry.hpp>
#include <logic_graph/engine/observers/logging_observer.hpp>
#include <logic_graph/engine/observers/observer.hpp>
#include <logic_graph/engine/observers/profiling_observer.hpp>
#include <logic_graph/engine/observers/trace_observer.hpp>
#include <logic_graph/memory/allocation_tracker.hpp>
#include <logic_graph/memory/logger.hpp>
#include <logic_graph/memory/memory_budget.hpp>
#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/memory/memory_profiler.hpp>
#include <logic_graph/memory/memory_reserve.hpp>
#include <logic_graph/memory/object_pool.hpp>
#include <logic_graph/memory/pool_config.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>
#include <logic_graph/nodes/jdm.hpp>
