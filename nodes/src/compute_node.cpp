#include <logic_graph/engine/node/node_config.hpp>
#include "registration.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace lg::detail {
namespace {

struct Assignment {
  std::string key;
  Expression value;
};

// JSON objects do not keep their order, so `set` is evaluated in dependency order: a key that
// reads another key of the same `set` comes after it. A key may read its own previous value.
std::vector<Assignment> in_dependency_order(std::vector<Assignment> pending) {
  std::vector<Assignment> ordered;
  ordered.reserve(pending.size());
  while (!pending.empty()) {
    const auto waits_for_other = [&](const Assignment& a) {
      for (const std::string& read : a.value.referenced_keys()) {
        if (read != a.key && std::any_of(pending.begin(), pending.end(),
                                         [&](const Assignment& b) { return b.key == read; })) {
          return true;
        }
      }
      return false;
    };
    const auto ready = std::find_if_not(pending.begin(), pending.end(), waits_for_other);
    if (ready == pending.end()) {
      throw ConfigError("set",
                        "keys '" + pending.front().key + "' and others read each other in a cycle");
    }
    ordered.push_back(std::move(*ready));
    pending.erase(ready);
  }
  return ordered;
}

/// `set`: key -> expression; writes each value into the context, the result is their object.
class ComputeNode final : public SyncNode {
 public:
  explicit ComputeNode(const NodeDef& def) : SyncNode(def) {
    config::allow_only(def, {"set"});
    std::vector<Assignment> assignments;
    for (const auto& [key, text] : config::required_object(def, "set").items()) {
      const std::string field = "set." + key;
      if (text.is_string()) {
        assignments.push_back({key, config::expression(text.get<std::string>(), field)});
      } else if (text.is_primitive()) {
        assignments.push_back({key, config::expression(text.dump(), field)});
      } else {
        throw ConfigError(
            field, std::string("must be an expression (a string), found ") + text.type_name());
      }
    }
    assignments_ = in_dependency_order(std::move(assignments));
  }

 protected:
  nlohmann::json do_run(NodeScope& scope) const override {
    nlohmann::json result = nlohmann::json::object();
    for (const Assignment& assignment : assignments_) {
      nlohmann::json value = scope.evaluate(assignment.value);
      result[assignment.key] = value;
      scope.set(assignment.key, std::move(value));
    }
    return result;
  }

 private:
  std::vector<Assignment> assignments_;
};

}  // namespace

void register_compute_node(NodeRegistry& registry) {
  registry.add("compute", [](const NodeDef& def) { return std::make_unique<ComputeNode>(def); });
}

}  // namespace lg::detail
