#include "assignments.hpp"

#include <logic_graph/engine/node/node_config.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lg::detail {
namespace {

// The keys of a cycle among `reads` (key -> keys of the set it reads): "'a' -> 'b' -> 'a'",
// each reading the next. `from` is a key that waits, so following reads must come back.
std::string cycle_through(const std::vector<Assignment>& keys,
                          const std::vector<std::vector<std::size_t>>& reads,
                          const std::vector<std::size_t>& waiting, std::size_t from) {
  // Follows one read that is still waiting from each key until a key repeats.
  std::vector<std::size_t> seen_at(keys.size(), keys.size());
  std::vector<std::size_t> path;
  std::size_t at = from;
  while (seen_at[at] == keys.size()) {
    seen_at[at] = path.size();
    path.push_back(at);
    const auto& next = reads[at];
    at = *std::find_if(next.begin(), next.end(), [&](std::size_t r) { return waiting[r] > 0; });
  }
  std::string text;
  for (std::size_t i = seen_at[at]; i < path.size(); ++i) {
    text += "'" + keys[path[i]].key + "' -> ";
  }
  return text + "'" + keys[at].key + "'";
}

// JSON objects do not keep their order, so `set` is evaluated in dependency order: a key that
// reads another key of the same `set` comes after it. A key may read its own previous value.
// Kahn's algorithm, taking the first ready key in the object's order each time, so that the
// order is deterministic: O((k + r) log k) for k keys reading r keys of the set in all.
std::vector<Assignment> in_dependency_order(std::vector<Assignment> pending,
                                            std::string_view field) {
  const std::size_t count = pending.size();
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    index.emplace(pending[i].key, i);
  }
  std::vector<std::vector<std::size_t>> reads(count);    // the keys of the set each one reads
  std::vector<std::vector<std::size_t>> readers(count);  // the keys that read each one
  std::vector<std::size_t> waiting(count, 0);            // reads not yet ordered
  for (std::size_t i = 0; i < count; ++i) {
    for (const std::string& read : pending[i].value.referenced_keys()) {  // distinct
      const auto found = index.find(read);
      if (found != index.end() && found->second != i) {
        reads[i].push_back(found->second);
        readers[found->second].push_back(i);
        ++waiting[i];
      }
    }
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < count; ++i) {
    if (waiting[i] == 0) {
      ready.push(i);
    }
  }
  std::vector<std::size_t> order;
  order.reserve(count);
  while (!ready.empty()) {
    const std::size_t next = ready.top();
    ready.pop();
    order.push_back(next);
    for (const std::size_t reader : readers[next]) {
      if (--waiting[reader] == 0) {
        ready.push(reader);
      }
    }
  }
  if (order.size() != count) {
    const auto stuck =
        std::find_if(waiting.begin(), waiting.end(), [](std::size_t w) { return w > 0; });
    throw ConfigError(std::string(field),
                      "keys read each other in a cycle: " +
                          cycle_through(pending, reads, waiting,
                                        static_cast<std::size_t>(stuck - waiting.begin())));
  }
  std::vector<Assignment> ordered;
  ordered.reserve(count);
  for (const std::size_t i : order) {
    ordered.push_back(std::move(pending[i]));
  }
  return ordered;
}

}  // namespace

std::vector<Assignment> read_assignments(const NodeBuild& build, std::string_view field) {
  const NodeDef& def = build.def();
  std::vector<Assignment> assignments;
  for (const auto& [key, text] : config::required_object(def, field).items()) {
    const std::string where = std::string(field) + "." + key;
    // Results live under node ids: a key equal to one would overwrite it (or be overwritten).
    if (key == def.id) {
      throw ConfigError(where, "is this node's own id, where its result goes");
    }
    if (build.is_node_id(key)) {
      throw ConfigError(where, "is the id of node '" + key +
                                   "', whose result it would overwrite (use another key)");
    }
    assignments.push_back({key, config::expression_value(text, where)});
  }
  return in_dependency_order(std::move(assignments), field);
}

void write(NodeScope& scope, const std::vector<Assignment>& assignments) {
  for (const Assignment& assignment : assignments) {
    scope.set(assignment.key, scope.evaluate(assignment.value));
  }
}

nlohmann::json assign(NodeScope& scope, const std::vector<Assignment>& assignments) {
  nlohmann::json result = nlohmann::json::object();
  for (const Assignment& assignment : assignments) {
    nlohmann::json value = scope.evaluate(assignment.value);
    result[assignment.key] = value;
    scope.set(assignment.key, std::move(value));
  }
  return result;
}

}  // namespace lg::detail
