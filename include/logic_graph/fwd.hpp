#pragma once

// Forward declarations of the public types, for headers that only name them.

namespace lg {
class Context;
class ContextError;
class Expression;
class ExpressionError;
class KeyLookup;
struct TextPosition;
struct NodeDef;
struct EdgeDef;
class GraphDef;
struct Diagnostic;
class GraphError;
class Node;
class SyncNode;
class AsyncNode;
class NodeScope;
class NodeRun;
class NodeBuild;
class NodeError;
class NodeRegistry;
class ConfigError;
class Runtime;
struct RuntimeOptions;
class Executor;
struct ExecutorOptions;
struct ExecutionOptions;
class GraphRun;
struct Graph;
class ExecutionResult;
class ExecutionError;
struct NodeTrace;
class ExecutionObserver;
struct ExecutionEvent;
struct NodeEvent;
class ProfilingObserver;
class TraceObserver;
class LoggingObserver;
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
