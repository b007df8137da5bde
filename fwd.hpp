#pragma once

// Forward declarations of the public types, for headers that only name them.

namespace lg {
class Context;
class ContextError;
}  // namespace lg

namespace lg::memory {
struct PoolConfig;
struct PoolStats;
class MemoryMetrics;
struct MemorySnapshot;
struct MemoryDiff;
class MemoryProfiler;
class AllocationTracker;
class MemoryBudget;
struct BudgetError;
class BudgetExceeded;
}  // namespace lg::memory
