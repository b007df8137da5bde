#pragma once

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/memory/object_pool.hpp>

namespace lg {

using memory::PoolConfig;
using memory::PoolStats;

/// A thread-safe pool of contexts; memory::ObjectPool does the work. Share it by reference or
/// through std::shared_ptr; it must outlive the leases it hands out.
using ContextPool = memory::ObjectPool<Context>;
/// A context borrowed from a ContextPool; returned (emptied) when the lease ends.
using ContextLease = memory::PoolLease<Context>;

}  // namespace lg
