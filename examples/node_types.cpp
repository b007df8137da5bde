// Writing node types: a synchronous one, an asynchronous one whose waits see cancellation, a
// wrapper that composes with any inner node, and a wrapper written as a task (run inline until
// it waits); each reads its config (required and optional fields) and is registered by its JSON
// type name.

#include <logic_graph/logic_graph.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace asio = boost::asio;

// [readme:node-types]
// Synchronous: computes on the calling thread, no coroutine frame. `greeting` is optional.
class Greet final : public lg::SyncNode {
 public:
  explicit Greet(const lg::NodeDef& def)
      : SyncNode(def),
        name_(lg::config::required_expression(def, "name")),
        greeting_(def.config.value("greeting", std::string("hello"))) {
    lg::config::allow_only(def, {"name", "greeting"});  // any other field is a ConfigError
  }

 protected:
  nlohmann::json do_run(lg::NodeScope& scope) const override {
    const nlohmann::json name = scope.evaluate(name_);  // reads the context, no lock, no copy
    scope.set("greeted", name);                         // written when the node finishes
    return greeting_ + ", " + name.get<std::string>();  // stored under the node's id
  }

 private:
  lg::Expression name_;
  std::string greeting_;
};

// Asynchronous: suspends without holding a thread. A stop (cancellation, deadline) cancels the
// timer's wait, which then throws operation_aborted out of the node.
class Pause final : public lg::AsyncNode {
 public:
  explicit Pause(const lg::NodeDef& def)
      : AsyncNode(def), ms_(lg::config::optional_count(def, "ms", 10)) {
    lg::config::allow_only(def, {"ms"});
  }

 protected:
  asio::awaitable<nlohmann::json> do_run(lg::NodeScope& scope) const override {
    asio::steady_timer timer(scope.executor(), std::chrono::milliseconds(ms_));
    co_await timer.async_wait(asio::use_awaitable);
    co_return ms_;
  }

 private:
  std::int64_t ms_;
};

// A wrapper: runs its inner node (any type, from the field `node`) and counts the attempt. It
// completes inline around an inner node that does, and suspends around one that suspends.
class Counted final : public lg::Node {
 public:
  explicit Counted(const lg::NodeBuild& build)
      : Counted(build.def(),
                build.create_inner(lg::config::required_object(build.def(), "node"), "node")) {}
  Counted(const lg::NodeDef& def, std::unique_ptr<lg::Node> inner)
      : Node(def, inner->may_suspend()), inner_(std::move(inner)) {}

 protected:
  lg::NodeRun do_start(lg::NodeScope& scope) const override {
    scope.set("attempts", 1);
    return inner_->start(scope);  // its result, now or later: this node's
  }

 private:
  std::unique_ptr<lg::Node> inner_;
};
// [/readme]

// [readme:node-types-task]
// Falls back to `fallback` when the inner node fails; its failed writes vanish.
class Fallback final : public lg::TaskNode {
 public:
  explicit Fallback(const lg::NodeBuild& build)
      : TaskNode(build.def()),
        inner_(build.create_inner(lg::config::required_object(build.def(), "node"), "node")),
        fallback_(build.def().config.value("fallback", nlohmann::json())) {}

 protected:
  lg::NodeTask do_run(lg::NodeScope& scope) const override {
    lg::NodeScope attempt = scope.nested();
    try {
      nlohmann::json result = co_await inner_->start(attempt);  // inline when it is
      attempt.commit();
      co_return result;
    } catch (const std::exception&) {
    }
    co_return fallback_;
  }

 private:
  std::unique_ptr<lg::Node> inner_;
  nlohmann::json fallback_;
};
// [/readme]

int main() {
  // [readme:node-types-registry]
  lg::NodeRegistry registry = lg::builtin_nodes();
  registry.add("greet", [](const lg::NodeDef& def) { return std::make_unique<Greet>(def); });
  registry.add("pause", [](const lg::NodeDef& def) { return std::make_unique<Pause>(def); });
  registry.add("counted", [](const lg::NodeBuild& build) {
    return std::make_unique<Counted>(build);  // NodeBuild: for inner nodes and child graphs
  });
  // [/readme]

  const lg::GraphDef graph = lg::GraphDef::parse(R"json({
    "nodes": [
      {"id": "hi", "type": "greet", "name": "user.name", "greeting": "welcome"},
      {"id": "wait", "type": "counted", "node": {"type": "pause", "ms": 5}}
    ],
    "edges": [{"from": "hi", "to": "wait"}]
  })json");
  lg::Executor executor{graph, registry, {.threads = 2}};
  const lg::ExecutionResult result = executor.run({{"user", {{"name", "ada"}}}});
  std::cout << "hi: " << result.context().get<std::string>("hi").value_or("?") << '\n';
  std::cout << "greeted: " << result.context().get<std::string>("greeted").value_or("?") << '\n';
  std::cout << "wait: " << result.context().get<int>("wait").value_or(-1) << " ms, attempts "
            << result.context().get<int>("attempts").value_or(0) << '\n';

  registry.add("fallback",
               [](const lg::NodeBuild& build) { return std::make_unique<Fallback>(build); });
  lg::Executor guarded{lg::GraphDef::parse(R"({"nodes": [{"id": "who", "type": "fallback",
                         "node": {"type": "greet", "name": "user.name"}, "fallback": "nobody"}]})"),
                       registry};
  std::cout
      << "with a name: "
      << guarded.run({{"user", {{"name", "ada"}}}}).context().get<std::string>("who").value_or("?")
      << ", without: " << guarded.run().context().get<std::string>("who").value_or("?")
      << ", greeted kept: " << guarded.run().context().contains("greeted") << '\n';

  try {
    lg::Executor bad{lg::GraphDef::parse(R"({"nodes": [{"id": "x", "type": "counted",
                                           "node": {"type": "pause", "seconds": 1}}]})"),
                     registry};
  } catch (const lg::GraphError& e) {
    std::cout << "refused: " << e.diagnostics().front().to_string() << '\n';
  }

  try {
    executor.run({{"user", {{"name", "ada"}}}}, {.deadline = std::chrono::microseconds(1)});
  } catch (const lg::ExecutionError& e) {
    std::cout << "stopped: " << lg::to_string(e.kind()) << '\n';
  }
}
