#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lg::test {

/// How a trace viewer lays out the complete ("X") slices of a Chrome trace: per (pid, tid)
/// track, in start order (longer first on a tie), each slice must start after the enclosing
/// one ended or end within it. Returns the slices that break the rule, which viewers drop
/// (DevTools) or draw over each other (Perfetto, chrome://tracing); empty when the trace is
/// sound.
inline std::vector<std::string> overlapping_slices(const nlohmann::json& trace) {
  struct Slice {
    double start;
    double end;
    std::string name;
  };
  std::map<std::pair<long long, long long>, std::vector<Slice>> tracks;
  for (const nlohmann::json& event : trace.at("traceEvents")) {
    if (event.at("ph") != "X") {
      continue;
    }
    const double start = event.at("ts").get<double>();
    tracks[{event.at("pid").get<long long>(), event.at("tid").get<long long>()}].push_back(
        {start, start + event.at("dur").get<double>(), event.at("name").get<std::string>()});
  }
  std::vector<std::string> bad;
  for (auto& [track, slices] : tracks) {
    std::sort(slices.begin(), slices.end(), [](const Slice& a, const Slice& b) {
      return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    std::vector<const Slice*> open;
    for (const Slice& slice : slices) {
      while (!open.empty() && slice.start >= open.back()->end) {
        open.pop_back();
      }
      if (!open.empty() && slice.end > open.back()->end) {
        bad.push_back(slice.name + " overlaps " + open.back()->name + " on track " +
                      std::to_string(track.second));
        continue;
      }
      open.push_back(&slice);
    }
  }
  return bad;
}

}  // namespace lg::test
