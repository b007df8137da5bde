#include <logic_graph/engine/node/node_config.hpp>
#include "registration.hpp"

namespace lg::detail {
namespace {

/// `condition` -> its truth value.
class RuleNode final : public SyncNode {
 public:
  explicit RuleNode(const NodeDef& def)
      : SyncNode(def), condition_(config::required_expression(def, "condition")) {
    config::allow_only(def, {"condition"});
  }

 protected:
  nlohmann::json do_run(NodeScope& scope) const override { return scope.test(condition_); }

 private:
  Expression condition_;
};

}  // namespace

void register_rule_node(NodeRegistry& registry) {
  registry.add("rule", [](const NodeDef& def) { return std::make_unique<RuleNode>(def); });
}

}  // namespace lg::detail
