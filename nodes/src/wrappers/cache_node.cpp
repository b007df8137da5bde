#include <logic_graph/engine/node/node_error.hpp>
#include "registration.hpp"
#include "wrappers/result_cache.hpp"
#include "wrappers/wrapper_config.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/channel_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <string>

namespace lg::detail {
namespace {

using Clock = ResultCache::Clock;

/// `cache`: the result (and writes) of `node` by the value of `key`, kept `ttl_ms` in a
/// ResultCache of `max_entries` shared by every execution on the runtime (by `name` when given,
/// else by the node's place). A hit completes inline; concurrent misses of one key run the node
/// once, the others waiting for it without a thread. Failures are not kept. Notes "cache_hit",
/// "cache_miss" and "cache_shared" (a miss that waited for another's run).
class CacheNode final : public Node {
 public:
  CacheNode(const NodeDef& def, std::unique_ptr<Node> inner, Expression key,
            std::shared_ptr<ResultCache> cache)
      : Node(def, true),  // a miss may wait for another's run
        inner_(std::move(inner)),
        key_(std::move(key)),
        cache_(std::move(cache)) {}

 protected:
  NodeRun do_start(NodeScope& scope) const override {
    nlohmann::json key = scope.evaluate(key_);
    ResultCache::Found found = cache_->find(key, scope.executor(), Clock::now());
    if (found.hit) {
      scope.note("cache_hit");
      replay(scope, found.run);
      return std::move(found.run.result);
    }
    if (!found.leader) {
      scope.note("cache_shared");
      return wait_for(scope, std::move(key), std::move(found.flight));
    }
    scope.note("cache_miss");
    if (inner_->may_suspend()) {
      return lead(scope, std::move(key), std::move(found.flight));
    }
    NodeScope writes = scope.nested();
    CachedRun run;
    try {
      run.result = std::move(inner_->start(writes)).value();
      keep_writes(writes, run);
      writes.commit();
    } catch (...) {
      cache_->land(key, found.flight, std::current_exception(), nullptr, Clock::now());
      throw;
    }
    nlohmann::json result = run.result;
    cache_->land(key, found.flight, nullptr, &run, Clock::now());
    return result;
  }

 private:
  // Runs the inner node for everyone waiting on `flight`.
  boost::asio::awaitable<nlohmann::json> lead(NodeScope& scope, nlohmann::json key,
                                              std::shared_ptr<Flight> flight) const {
    NodeScope writes = scope.nested();
    CachedRun run;
    std::exception_ptr error;
    try {
      run.result = co_await writes.run(*inner_);
      keep_writes(writes, run);
      writes.commit();
    } catch (...) {
      error = std::current_exception();
    }
    if (error) {
      cache_->land(key, flight, error, nullptr, Clock::now());
      std::rethrow_exception(error);
    }
    nlohmann::json result = run.result;
    cache_->land(key, flight, nullptr, &run, Clock::now());
    co_return result;
  }

  // Waits for another execution's run of the same key. When that run was cancelled (its own
  // execution stopping), this one looks again: it may lead the next run.
  boost::asio::awaitable<nlohmann::json> wait_for(NodeScope& scope, nlohmann::json key,
                                                  std::shared_ptr<Flight> flight) const {
    for (;;) {
      auto [code] =
          co_await flight->done.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
      if (code != boost::asio::experimental::channel_errc::channel_closed) {
        throw boost::system::system_error(code);  // this execution is stopping
      }
      if (!flight->error) {
        replay(scope, flight->run);
        co_return flight->run.result;
      }
      if (to_node_error(flight->error, id()).kind() != NodeError::Kind::cancelled) {
        std::rethrow_exception(flight->error);
      }
      ResultCache::Found found = cache_->find(key, scope.executor(), Clock::now());
      if (found.hit) {
        replay(scope, found.run);
        co_return std::move(found.run.result);
      }
      if (found.leader) {
        co_return co_await lead(scope, std::move(key), std::move(found.flight));
      }
      flight = std::move(found.flight);
    }
  }

  static void keep_writes(const NodeScope& writes, CachedRun& run) {
    for (const Context::Entry& entry : writes.writes()) {
      run.writes.emplace_back(entry.key, entry.value);
    }
  }

  static void replay(NodeScope& scope, const CachedRun& run) {
    for (const auto& [key, value] : run.writes) {
      scope.set(key, value);
    }
  }

  std::unique_ptr<Node> inner_;
  Expression key_;
  std::shared_ptr<ResultCache> cache_;
};

}  // namespace

void register_cache_node(NodeRegistry& registry) {
  registry.add("cache", [](const NodeBuild& build) {
    const NodeDef& def = build.def();
    config::allow_only(def, {"node", "key", "ttl_ms", "max_entries", "name"});
    Expression key = config::required_expression(def, "key");
    ResultCache::Settings settings;
    settings.ttl = wait_ms(def, "ttl_ms", 60'000, 1);
    const std::int64_t entries = config::optional_count(def, "max_entries", 1000);
    if (entries < 1 || entries > 100'000'000) {
      throw ConfigError("max_entries",
                        "must be from 1 to 100000000, found " + std::to_string(entries));
    }
    settings.max_entries = static_cast<std::size_t>(entries);
    std::unique_ptr<Node> inner = inner_node(build);
    std::shared_ptr<ResultCache> cache = runtime_shared<ResultCache>(
        build, "cache", [&] { return std::make_shared<ResultCache>(settings); },
        [&](const ResultCache& existing) {
          return existing.settings().ttl == settings.ttl &&
                 existing.settings().max_entries == settings.max_entries;
        });
    return std::make_unique<CacheNode>(def, std::move(inner), std::move(key), std::move(cache));
  });
}

}  // namespace lg::detail
