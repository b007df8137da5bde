#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>

#include <cstdint>

namespace lg::test {

/// A delay of `ms`, then a rule: an execution that, in a test, only a cancellation (or the end of
/// its io_context) cuts short; the delay's timer lives in the io_context, as real I/O would.
inline GraphDef held_graph(std::int64_t ms) {
  GraphDef graph;
  graph.node("wait", "delay", {{"ms", ms}}).node("after", "rule", {{"condition", "true"}});
  graph.edge("wait", "after");
  return graph;
}

}  // namespace lg::test
