#include <logic_graph/engine/node/node_error.hpp>
#include "error_value.hpp"
#include "registration.hpp"
#include "wrappers/wrapper_config.hpp"

#include <optional>
#include <string>

namespace lg::detail {
namespace {

// What `catch` reads: `error` ({message, node, kind}) over the node's scope.
class WithError final : public KeyLookup {
 public:
  WithError(const NodeScope& scope, const nlohmann::json& error) : scope_(scope), error_(error) {}
  [[nodiscard]] const nlohmann::json* find(std::string_view key) const noexcept override {
    return key == "error" ? &error_ : scope_.find(key);
  }

 private:
  const NodeScope& scope_;
  const nlohmann::json& error_;
};

/// `try`: the result of `node`, or when it fails or times out, the fallback: `catch` (an
/// expression that reads `error`: its message, node and kind) or `catch_node` (a node run
/// instead, which reads `error` too). The failed node's writes vanish; the fallback node's are
/// kept. A cancellation is not caught: the execution is stopping.
class TryNode final : public Node {
 public:
  TryNode(const NodeDef& def, std::unique_ptr<Node> inner, std::optional<Expression> catch_value,
          std::unique_ptr<Node> catch_node)
      : Node(def, inner->may_suspend() || (catch_node && catch_node->may_suspend())),
        inner_(std::move(inner)),
        catch_value_(std::move(catch_value)),
        catch_node_(std::move(catch_node)) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    if (may_suspend()) {
      return attempt_later(scope);
    }
    std::optional<nlohmann::json> error;
    {
      NodeScope writes = scope.nested();
      try {
        nlohmann::json result = std::move(inner_->start(writes)).value();
        writes.commit();
        return result;
      } catch (...) {
        error = caught(std::current_exception());
      }
    }
    if (catch_value_) {
      return catch_value_->evaluate(WithError(scope, *error));
    }
    NodeScope with_error = scope.nested();
    with_error.set("error", std::move(*error));
    NodeScope writes = with_error.nested();
    nlohmann::json result = std::move(catch_node_->start(writes)).value();
    keep(scope, writes);
    return result;
  }

 private:
  boost::asio::awaitable<nlohmann::json> attempt_later(NodeScope& scope) const {
    std::optional<nlohmann::json> error;
    {
      NodeScope writes = scope.nested();
      try {
        nlohmann::json result = co_await writes.run(*inner_);
        writes.commit();
        co_return result;
      } catch (...) {
        error = caught(std::current_exception());
      }
    }
    if (catch_value_) {
      co_return catch_value_->evaluate(WithError(scope, *error));
    }
    NodeScope with_error = scope.nested();
    with_error.set("error", std::move(*error));
    NodeScope writes = with_error.nested();
    nlohmann::json result = co_await writes.run(*catch_node_);
    keep(scope, writes);
    co_return result;
  }

  // The error as `catch` sees it; rethrows a cancellation.
  [[nodiscard]] nlohmann::json caught(const std::exception_ptr& thrown) const {
    const NodeError error = to_node_error(thrown, id());
    if (error.kind() == NodeError::Kind::cancelled) {
      std::rethrow_exception(thrown);
    }
    return error_value(error);
  }

  // The fallback node's writes go to the node's scope (not `error`, which was its input).
  static void keep(NodeScope& scope, const NodeScope& writes) {
    for (const Context::Entry& entry : writes.writes()) {
      scope.set(entry.key, entry.value);
    }
  }

  std::unique_ptr<Node> inner_;
  std::optional<Expression> catch_value_;
  std::unique_ptr<Node> catch_node_;
};

}  // namespace

void register_try_node(NodeRegistry& registry) {
  registry.add("try", [](const NodeBuild& build) {
    const NodeDef& def = build.def();
    config::allow_only(def, {"node", "catch", "catch_node"});
    const auto value = def.config.find("catch");
    const auto node = def.config.find("catch_node");
    if ((value == def.config.end()) == (node == def.config.end())) {
      throw ConfigError("catch", "give either 'catch' (an expression) or 'catch_node' (a node)");
    }
    std::unique_ptr<Node> inner = inner_node(build);
    if (value != def.config.end()) {
      return std::make_unique<TryNode>(def, std::move(inner),
                                       config::expression_value(*value, "catch"), nullptr);
    }
    return std::make_unique<TryNode>(def, std::move(inner), std::nullopt,
                                     build.create_inner(*node, "catch_node"));
  });
}

}  // namespace lg::detail
