// NodeScope::keep() and kept(): values passed beside the context, as JDM nodes pass theirs.

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/node/node.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <doctest/doctest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <string>

using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using lg::NodeDef;
using lg::NodeScope;
using Json = nlohmann::json;

namespace {

using Text = std::string;

// `keep` {text, nested?, commit?}: keeps `text`, from a nested scope committed or not.
class Keeper final : public lg::SyncNode {
 public:
  explicit Keeper(const NodeDef& def)
      : SyncNode(def),
        text_(def.config.at("text").get<std::string>()),
        nested_(def.config.value("nested", false)),
        commit_(def.config.value("commit", false)) {}

 protected:
  Json do_run(NodeScope& scope) const override {
    if (!nested_) {
      scope.keep(std::make_shared<const Text>(text_));
      return nullptr;
    }
    NodeScope attempt = scope.nested();
    attempt.keep(std::make_shared<const Text>(text_));
    if (commit_) {
      attempt.commit();
    }
    return nullptr;
  }

 private:
  std::string text_;
  bool nested_;
  bool commit_;
};

// `keep_later` {text}: keeps `text` after a suspension.
class LaterKeeper final : public lg::AsyncNode {
 public:
  explicit LaterKeeper(const NodeDef& def)
      : AsyncNode(def), text_(def.config.at("text").get<std::string>()) {}

 protected:
  boost::asio::awaitable<Json> do_run(NodeScope& scope) const override {
    boost::asio::steady_timer timer(scope.executor());
    co_await timer.async_wait(boost::asio::use_awaitable);  // expired already: just a hop
    scope.keep(std::make_shared<const Text>(text_));
    co_return nullptr;
  }

 private:
  std::string text_;
};

// `read` {from}: what `from` kept, as text and as another type.
class Reader final : public lg::SyncNode {
 public:
  explicit Reader(const NodeDef& def)
      : SyncNode(def), from_(def.config.at("from").get<std::string>()) {}

 protected:
  Json do_run(NodeScope& scope) const override {
    const Text* text = scope.kept<Text>(from_);
    return {{"text", text != nullptr ? Json(*text) : Json()},
            {"as_int", scope.kept<int>(from_) != nullptr}};
  }

 private:
  std::string from_;
};

lg::NodeRegistry registry() {
  lg::NodeRegistry r;
  r.add("keep", [](const NodeDef& def) { return std::make_unique<Keeper>(def); });
  r.add("keep_later", [](const NodeDef& def) { return std::make_unique<LaterKeeper>(def); });
  r.add("read", [](const NodeDef& def) { return std::make_unique<Reader>(def); });
  return r;
}

GraphDef keep_then_read(Json keeper) {
  keeper["id"] = "k";
  return GraphDef::from_json(
      {{"nodes", Json::array({keeper, {{"id", "r"}, {"type", "read"}, {"from", "k"}}})},
       {"edges", Json::array({{{"from", "k"}, {"to", "r"}}})}});
}

}  // namespace

TEST_SUITE("kept values") {
  TEST_CASE("a node reads what an earlier node kept, of the type it was kept as") {
    Executor executor{
        keep_then_read({{"type", "keep"}, {"text", "hello"}}), registry(), {.threads = 2}};
    for (int round = 0; round < 3; ++round) {  // pooled states: each execution its own
      const ExecutionResult result = executor.run();
      CHECK(*result.context().get("r") == Json{{"text", "hello"}, {"as_int", false}});
      REQUIRE(result.kept<Text>("k") != nullptr);
      CHECK(*result.kept<Text>("k") == "hello");
      CHECK(result.kept<int>("k") == nullptr);
      CHECK(result.kept<Text>("r") == nullptr);        // kept nothing
      CHECK(result.kept<Text>("nowhere") == nullptr);  // not a node
    }
  }

  TEST_CASE("a node that suspends keeps its value when it finishes") {
    Executor executor{
        keep_then_read({{"type", "keep_later"}, {"text", "later"}}), registry(), {.threads = 2}};
    const ExecutionResult result = executor.run();
    CHECK(result.context().get("r")->at("text") == "later");
  }

  TEST_CASE("a nested scope's value counts only once committed") {
    SUBCASE("committed") {
      Executor executor{
          keep_then_read({{"type", "keep"}, {"text", "a"}, {"nested", true}, {"commit", true}}),
          registry()};
      CHECK(executor.run().context().get("r")->at("text") == "a");
    }
    SUBCASE("discarded, as a failed attempt's") {
      Executor executor{keep_then_read({{"type", "keep"}, {"text", "a"}, {"nested", true}}),
                        registry()};
      const ExecutionResult result = executor.run();
      CHECK(result.context().get("r")->at("text").is_null());
      CHECK(result.kept<Text>("k") == nullptr);
    }
  }

  TEST_CASE("a value kept by a node still running is not seen") {
    // `r` has no edge from `k`: it may run before, during or after it, and sees the value only
    // once `k` has finished; what it sees is whole either way (TSan checks the publication).
    const GraphDef graph = GraphDef::from_json(
        {{"nodes", Json::array({{{"id", "k"}, {"type", "keep_later"}, {"text", "x"}},
                                {{"id", "r"}, {"type", "read"}, {"from", "k"}}})}});
    Executor executor{graph, registry(), {.threads = 2}};
    for (int round = 0; round < 50; ++round) {
      const Json text = executor.run().context().get("r")->at("text");
      CHECK((text.is_null() || text == "x"));
    }
  }
}
