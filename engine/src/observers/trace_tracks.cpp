#include "observers/trace_tracks.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <queue>
#include <utility>

namespace lg::detail {
namespace {

// A group's lane: its slices never overlap; lane 0 holds the span and what fits inside it.
struct Lane {
  TraceInterval busy;      // from the first slice's start to the last one's end
  std::int64_t free_from;  // where the next slice may start
  bool used = false;
};

// Assigns the group's members to lanes; returns the lanes.
std::vector<Lane> lay_out(const TraceGroup& group, std::vector<std::size_t>& member_lane) {
  std::vector<Lane> lanes;
  if (group.span) {
    lanes.push_back({*group.span, group.span->start, true});
  }
  std::vector<std::size_t> order(group.members.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const TraceInterval& x = group.members[a];
    const TraceInterval& y = group.members[b];
    // Nodes of one execution never nest: at equal starts the shorter (perhaps empty) one came
    // first.
    return x.start != y.start ? x.start < y.start : x.end < y.end;
  });
  member_lane.assign(group.members.size(), 0);
  for (const std::size_t m : order) {
    const TraceInterval& slice = group.members[m];
    std::size_t chosen = lanes.size();
    for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
      const bool inside_span = lane != 0 || !group.span ||
                               (slice.start >= group.span->start && slice.end <= group.span->end);
      if (inside_span && lanes[lane].free_from <= slice.start) {
        chosen = lane;
        break;
      }
    }
    if (chosen == lanes.size()) {
      lanes.push_back({slice, slice.start, false});
    }
    Lane& lane = lanes[chosen];
    if (!lane.used) {
      lane.busy = slice;
      lane.used = true;
    } else {
      lane.busy.start = std::min(lane.busy.start, slice.start);
      lane.busy.end = std::max(lane.busy.end, slice.end);
    }
    lane.free_from = slice.end;
    member_lane[m] = chosen;
  }
  return lanes;
}

}  // namespace

TracePlacement place_on_tracks(const std::vector<TraceGroup>& groups) {
  TracePlacement placement;
  placement.span_track.assign(groups.size(), 0);
  placement.member_track.resize(groups.size());

  struct Virtual {
    TraceInterval busy;
    std::size_t group;
    std::size_t lane;
  };
  std::vector<Virtual> lanes_of_all;
  std::vector<std::vector<std::size_t>> member_lane(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::vector<Lane> lanes = lay_out(groups[g], member_lane[g]);
    for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
      lanes_of_all.push_back({lanes[lane].busy, g, lane});
    }
  }
  // Interval colouring, earliest start first: each lane takes the lowest track that is free
  // when it starts.
  std::sort(lanes_of_all.begin(), lanes_of_all.end(), [](const Virtual& a, const Virtual& b) {
    return a.busy.start != b.busy.start ? a.busy.start < b.busy.start : a.busy.end < b.busy.end;
  });
  using Busy = std::pair<std::int64_t, std::size_t>;  // (free from, track)
  std::priority_queue<Busy, std::vector<Busy>, std::greater<>> busy;
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> free_tracks;
  std::vector<std::vector<std::size_t>> track_of_lane(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::size_t lanes = 0;
    for (const std::size_t lane : member_lane[g]) {
      lanes = std::max(lanes, lane + 1);
    }
    track_of_lane[g].assign(std::max<std::size_t>(lanes, 1), 0);
  }
  for (const Virtual& lane : lanes_of_all) {
    while (!busy.empty() && busy.top().first <= lane.busy.start) {
      free_tracks.push(busy.top().second);
      busy.pop();
    }
    std::size_t track = placement.track_count;
    if (!free_tracks.empty()) {
      track = free_tracks.top();
      free_tracks.pop();
    } else {
      ++placement.track_count;
    }
    busy.emplace(lane.busy.end, track);
    if (track_of_lane[lane.group].size() <= lane.lane) {
      track_of_lane[lane.group].resize(lane.lane + 1);
    }
    track_of_lane[lane.group][lane.lane] = track;
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    placement.span_track[g] = track_of_lane[g][0];
    placement.member_track[g].resize(groups[g].members.size());
    for (std::size_t m = 0; m < groups[g].members.size(); ++m) {
      placement.member_track[g][m] = track_of_lane[g][member_lane[g][m]];
    }
  }
  return placement;
}

}  // namespace lg::detail
