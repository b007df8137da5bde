#include <logic_graph/engine/node/node_config.hpp>
#include "assignments.hpp"
#include "registration.hpp"

#include <vector>

namespace lg::detail {
namespace {

/// `set`: key -> expression; writes each value into the context, the result is their object.
class ComputeNode final : public SyncNode {
 public:
  explicit ComputeNode(const NodeBuild& build) : SyncNode(build.def()) {
    config::allow_only(build.def(), {"set"});
    assignments_ = read_assignments(build, "set");
  }

 protected:
  nlohmann::json do_run(NodeScope& scope) const override { return assign(scope, assignments_); }

 private:
  std::vector<Assignment> assignments_;
};

}  // namespace

void register_compute_node(NodeRegistry& registry) {
  registry.add("compute",
               [](const NodeBuild& build) { return std::make_unique<ComputeNode>(build); });
}

}  // namespace lg::detail
