#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace lg::detail {

/// A slice's time on a track, [start, end).
struct TraceInterval {
  std::int64_t start = 0;
  std::int64_t end = 0;
};

/// One execution's slices: its own span (when it ended) and its nodes'.
struct TraceGroup {
  std::uint64_t key = 0;
  std::optional<TraceInterval> span;
  std::vector<TraceInterval> members;
};

/// Which track each slice goes on.
struct TracePlacement {
  std::size_t track_count = 0;
  std::vector<std::size_t> span_track;                 // per group
  std::vector<std::vector<std::size_t>> member_track;  // per group, per member
};

/// Puts the slices on as few tracks as it can so that on every track two slices either nest
/// (an execution's span around its nodes) or do not overlap at all, which is what trace viewers
/// need to draw them (Perfetto, chrome://tracing and DevTools drop or mangle slices that
/// overlap without nesting). Parallel nodes of one execution get lanes of their own; lanes of
/// executions that do not overlap in time share tracks.
[[nodiscard]] TracePlacement place_on_tracks(const std::vector<TraceGroup>& groups);

}  // namespace lg::detail
