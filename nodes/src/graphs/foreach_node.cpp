#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_error.hpp>
#include "error_value.hpp"
#include "graphs/child_graph.hpp"
#include "registration.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lg::detail {
namespace {

// The id of the one node of the child graph made from an inline `node`.
constexpr std::string_view inline_node_id = "node";

/// What `foreach` reads from its config.
struct ForeachConfig {
  std::shared_ptr<Executor> child;
  bool inline_node = false;  // the child is one `node`: an item's default value is its result
  Expression items;
  std::string as;
  std::string index_as;
  std::vector<KeyedExpression> input;
  std::optional<Expression> output;
  std::size_t concurrency = 0;  // 0: the runtime's
  bool collect = false;         // on_error: collect
};

/// One run of the node: the items, and their values as they come.
struct Batch {
  nlohmann::json items;    // an array; each element moves into its child's input
  nlohmann::json base;     // `input`, evaluated once: the same for every item
  nlohmann::json results;  // an array as long as `items`, filled in place
  std::size_t next = 0;    // the first item not started
  [[nodiscard]] std::size_t size() const noexcept { return items.size(); }
};

/// `foreach`: runs the child graph (`graph`, `file`, or one `node`) once per element of `items`,
/// up to `concurrency` at once, and gives the values in the items' order. A child whose nodes
/// are synchronous runs inline, the items one after the other, with no coroutine; from the
/// first child that suspends on, lanes (as many as `concurrency`) each start the next item when
/// theirs ends. A failure fails the node, the other children cancelled and ended first, unless
/// `on_error` is `collect`.
class ForeachNode final : public Node {
 public:
  ForeachNode(const NodeDef& def, ForeachConfig config)
      : Node(def, true), config_(std::move(config)) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    Batch batch = begin(scope);
    while (batch.next < batch.size()) {
      if (scope.stop_requested()) {
        throw stopped();
      }
      const std::size_t i = batch.next++;
      GraphRun run = scope.start_graph(*config_.child, input_for(batch, i));
      if (!run.ready()) {
        return fan_out(scope, std::move(batch), std::move(run), i);
      }
      settle(batch, i, [&] { return run.result(); });
    }
    return std::move(batch.results);
  }

 private:
  [[nodiscard]] Batch begin(NodeScope& scope) const {
    Batch batch;
    batch.items = scope.evaluate(config_.items);
    if (!batch.items.is_array()) {
      throw NodeError(NodeError::Kind::failed, id(),
                      "field 'items': '" + config_.items.text() + "' must give an array, found " +
                          batch.items.type_name());
    }
    batch.base = nlohmann::json::object();
    for (const KeyedExpression& in : config_.input) {
      batch.base[in.key] = scope.evaluate(in.value);
    }
    batch.results = nlohmann::json::array();
    batch.results.get_ref<nlohmann::json::array_t&>().resize(batch.size());
    return batch;
  }

  [[nodiscard]] nlohmann::json input_for(Batch& batch, std::size_t i) const {
    nlohmann::json input = batch.base;
    input[config_.as] = std::move(batch.items[i]);
    input[config_.index_as] = i;
    return input;
  }

  // The value of item `i` from its child's outcome (`take` gives the result or throws), or on
  // failure its error: collected in its place, or thrown.
  template <class Take>
  void settle(Batch& batch, std::size_t i, Take&& take) const {
    try {
      const ExecutionResult result = take();
      batch.results[i] = value_of(result, i);
    } catch (...) {
      const NodeError error = child_failure(std::current_exception(), item_id(i));
      if (!config_.collect || error.kind() == NodeError::Kind::cancelled) {
        throw error;
      }
      batch.results[i] = {{"error", error_value(error)}};
    }
  }

  [[nodiscard]] nlohmann::json value_of(const ExecutionResult& result, std::size_t i) const {
    if (config_.output) {
      try {
        return config_.output->evaluate(result.context());
      } catch (const std::exception& e) {
        throw NodeError(NodeError::Kind::failed, item_id(i),
                        "node '" + item_id(i) + "' failed: field 'output': " + e.what());
      }
    }
    if (config_.inline_node) {
      const nlohmann::json* value = result.context().get(inline_node_id);
      return value != nullptr ? *value : nlohmann::json();
    }
    return result.to_json();
  }

  // The asynchronous part: `first` (item `first_index`) is running; lanes, up to `concurrency`,
  // run the rest. They run on this coroutine's executor, the strand the engine runs a
  // suspending node on, so they take turns and share `batch` without a lock; each suspends only
  // while it awaits its child, so a cancellation always finds the child awaited and stops it.
  // The group cancels the others when a lane fails, and ends when all of them have: no child
  // outlives the node.
  boost::asio::awaitable<nlohmann::json> fan_out(NodeScope& scope, Batch batch, GraphRun first,
                                                 std::size_t first_index) const {
    namespace asio = boost::asio;
    const auto executor = co_await asio::this_coro::executor;
    const std::size_t limit =
        config_.concurrency != 0 ? config_.concurrency : scope.runtime().concurrency();
    const std::size_t width =
        std::min(std::max<std::size_t>(limit, 1), batch.size() - batch.next + 1);
    using LaneOp =
        decltype(asio::co_spawn(executor, lane(scope, batch, std::nullopt, 0), asio::deferred));
    std::vector<LaneOp> lanes;
    lanes.reserve(width);
    lanes.push_back(asio::co_spawn(executor, lane(scope, batch, std::move(first), first_index),
                                   asio::deferred));
    for (std::size_t k = 1; k < width; ++k) {
      lanes.push_back(
          asio::co_spawn(executor, lane(scope, batch, std::nullopt, 0), asio::deferred));
    }
    auto [order, errors] =
        co_await asio::experimental::make_parallel_group(std::move(lanes))
            .async_wait(asio::experimental::wait_for_one_error(), asio::use_awaitable);
    for (const std::size_t k : order) {
      if (errors[k]) {
        std::rethrow_exception(errors[k]);  // the first to fail; the others were cancelled
      }
    }
    co_return std::move(batch.results);
  }

  boost::asio::awaitable<void> lane(NodeScope& scope, Batch& batch, std::optional<GraphRun> run,
                                    std::size_t i) const {
    namespace asio = boost::asio;
    for (;;) {
      if (run) {
        std::optional<ExecutionResult> result;
        std::exception_ptr error;
        try {
          result.emplace(co_await run->wait());
        } catch (...) {
          error = std::current_exception();
        }
        run.reset();
        settle(batch, i, [&] {
          if (error) {
            std::rethrow_exception(error);
          }
          return std::move(*result);
        });
      }
      if (batch.next == batch.size()) {
        co_return;
      }
      const asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
      if (scope.stop_requested() || cancellation.cancelled() != asio::cancellation_type::none) {
        throw stopped();  // another lane failed, or the execution is stopping: start no more
      }
      i = batch.next++;
      run.emplace(scope.start_graph(*config_.child, input_for(batch, i)));
      if (run->ready()) {
        settle(batch, i, [&] { return run->result(); });
        run.reset();
      }
    }
  }

  [[nodiscard]] std::string item_id(std::size_t i) const {
    return id() + "[" + std::to_string(i) + "]";
  }

  [[nodiscard]] NodeError stopped() const {
    return NodeError(NodeError::Kind::cancelled, id(), "stopped before every item ran");
  }

  ForeachConfig config_;
};

// A key the child's input gets: a non-empty string, `fallback` when absent.
std::string key_field(const NodeDef& def, std::string_view field, std::string fallback) {
  const auto found = def.config.find(field);
  if (found == def.config.end()) {
    return fallback;
  }
  if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
    throw ConfigError(std::string(field), std::string("must be a key name (a non-empty string), "
                                                      "found ") +
                                              found->dump());
  }
  return found->get<std::string>();
}

// `concurrency`: items at once, a positive integer (absent: 0, the runtime's thread count).
std::size_t items_at_once(const NodeDef& def) {
  const auto found = def.config.find("concurrency");
  if (found == def.config.end()) {
    return 0;
  }
  if (!found->is_number_integer() || found->get<std::int64_t>() < 1 ||
      found->get<std::int64_t>() > (std::int64_t{1} << 31)) {
    throw ConfigError("concurrency",
                      "must be a positive integer (items at once, at most 2^31), "
                      "found " +
                          found->dump());
  }
  return static_cast<std::size_t>(found->get<std::int64_t>());
}

// An inline `node` as a child graph of that one node, compiled with the registry, so wrapper
// fields and every node type work there as anywhere.
std::shared_ptr<Executor> node_graph(const NodeBuild& build) {
  const nlohmann::json& node = build.def().config.at("node");
  if (!node.is_object() || !node.contains("type")) {
    throw ConfigError("node",
                      std::string("must be a node (an object with 'type'), found ") + node.dump());
  }
  if (node.contains("id")) {
    throw ConfigError("node.id", "not allowed: the node is the child graph's only node");
  }
  nlohmann::json config = node;
  config["id"] = inline_node_id;
  const nlohmann::json graph = {{"nodes", nlohmann::json::array({std::move(config)})}};
  return build.compile(GraphDef::from_json(graph, build.def().id + ".node"), "node");
}

ForeachConfig read_config(const NodeBuild& build) {
  const NodeDef& def = build.def();
  ForeachConfig config{.child = nullptr,
                       .inline_node = def.config.contains("node"),
                       .items = config::required_expression(def, "items"),
                       .as = key_field(def, "as", "item"),
                       .index_as = key_field(def, "index_as", "index"),
                       .input = keyed_expressions(def, "input"),
                       .output = std::nullopt,
                       .concurrency = items_at_once(def),
                       .collect = false};
  if (config.as == config.index_as) {
    throw ConfigError("index_as", "must differ from 'as' ('" + config.as + "')");
  }
  for (const KeyedExpression& in : config.input) {
    if (in.key == config.as || in.key == config.index_as) {
      throw ConfigError("input." + in.key, "is the key of the item or of its index");
    }
  }
  if (const auto output = def.config.find("output"); output != def.config.end()) {
    config.output = config::expression_value(*output, "output");
  }
  if (const auto on_error = def.config.find("on_error"); on_error != def.config.end()) {
    if (*on_error != "fail" && *on_error != "collect") {
      throw ConfigError("on_error", "must be 'fail' or 'collect', found " + on_error->dump());
    }
    config.collect = *on_error == "collect";
  }
  if (config.inline_node) {
    if (def.config.contains("graph") || def.config.contains("file")) {
      throw ConfigError("node", "give one of 'graph', 'file' or 'node'");
    }
    config.child = node_graph(build);
  } else {
    config.child = child_graph(build);
  }
  return config;
}

}  // namespace

void register_foreach_node(NodeRegistry& registry) {
  registry.add("foreach", [](const NodeBuild& build) {
    config::allow_only(build.def(), {"items", "as", "index_as", "graph", "file", "node", "input",
                                     "output", "on_error"});
    return std::make_unique<ForeachNode>(build.def(), read_config(build));
  });
  registry.claim_concurrency("foreach");  // items at once, not the engine's limit on runs
}

}  // namespace lg::detail
