#pragma once

// Everything public in one include.

#include <logic_graph/engine/context.hpp>
#include <logic_graph/engine/context_pool.hpp>
#include <logic_graph/memory/allocation_tracker.hpp>
#include <logic_graph/memory/logger.hpp>
#include <logic_graph/memory/memory_budget.hpp>
#include <logic_graph/memory/memory_metrics.hpp>
#include <logic_graph/memory/memory_profiler.hpp>
#include <logic_graph/memory/object_pool.hpp>
#include <logic_graph/memory/pool_config.hpp>
