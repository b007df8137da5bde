#include <logic_graph/engine/node/node_config.hpp>
#include "assignments.hpp"
#include "registration.hpp"

#include <vector>

namespace lg::detail {
namespace {

/// `condition` -> its truth value; when it holds, `then` (key -> expression) is written as a
/// compute node's `set` is.
class RuleNode final : public SyncNode {
 public:
  explicit RuleNode(const NodeBuild& build)
      : SyncNode(build.def()), condition_(config::required_expression(build.def(), "condition")) {
    config::allow_only(build.def(), {"condition", "then"});
    if (build.def().config.contains("then")) {
      then_ = read_assignments(build, "then");
    }
  }

 protected:
  nlohmann::json do_run(NodeScope& scope) const override {
    const bool holds = scope.test(condition_);
    if (holds) {
      write(scope, then_);
    }
    return holds;
  }

 private:
  Expression condition_;
  std::vector<Assignment> then_;
};

}  // namespace

void register_rule_node(NodeRegistry& registry) {
  registry.add("rule", [](const NodeBuild& build) { return std::make_unique<RuleNode>(build); });
}

}  // namespace lg::detail
