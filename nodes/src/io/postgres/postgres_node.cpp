#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include "io/blocking_pool.hpp"
#include "io/postgres/pg_conninfo.hpp"
#include "io/postgres/pg_pool.hpp"
#include "io/postgres/pg_query.hpp"
#include "registration.hpp"

#include <fmt/format.h>

#include <array>
#include <memory>
#include <string_view>
#include <vector>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

constexpr std::int64_t max_pool_size = 256;

const NodeDef& with_known_fields(const NodeDef& def) {
  config::allow_only(def, {"connection", "query", "params", "mode", "max_rows", "pool_size"});
  return def;
}

// The runtime's pool for `target`; its size is the first node's that opens it.
std::shared_ptr<PgPool> pool_on(Runtime& runtime, const PgConnectionString& target,
                                std::size_t size) {
  // PQcancel blocks (it connects to the server): on a thread of its own, never a worker.
  auto cancel_threads = runtime.shared<BlockingPool>(
      "lg.postgres.cancel", [] { return std::make_shared<BlockingPool>(1); });
  return runtime.shared<PgPool>("lg.postgres:" + target.text(), [&] {
    return std::make_shared<PgPool>(target, size, runtime.get_executor(),
                                    std::move(cancel_threads));
  });
}

/// `postgres`: runs `query` with `params` ($1, $2...) on a pooled connection to `connection`,
/// on libpq's asynchronous API: no thread waits for the server.
class PostgresNode final : public AsyncNode {
 public:
  explicit PostgresNode(const NodeBuild& build)
      : AsyncNode(build.def()), connection_(connection_field(with_known_fields(build.def()))) {
    const NodeDef& def = build.def();
    query_.sql = config::required_string(def, "query");
    if (query_.sql.find_first_not_of(" \t\r\n;") == std::string::npos) {
      throw ConfigError("query", "holds no SQL");
    }
    query_.mode = sql_mode_of(def);
    query_.max_rows = static_cast<std::size_t>(config::optional_count(def, "max_rows", 100000));
    const std::int64_t pool_size = config::optional_count(def, "pool_size", 4);
    if (pool_size == 0 || pool_size > max_pool_size) {
      throw ConfigError("pool_size",
                        fmt::format("must be from 1 to {}, found {}", max_pool_size, pool_size));
    }
    pool_size_ = static_cast<std::size_t>(pool_size);
    read_params(def);
    if (build.runtime() != nullptr && connection_.target) {
      pool_ = pool_on(*build.runtime(), *connection_.target, pool_size_).get();
    }
  }

 protected:
  boost::asio::awaitable<Json> do_run(NodeScope& scope) const override {
    std::vector<Json> values;
    values.reserve(params_.size());
    for (const Expression& param : params_) {
      values.push_back(scope.evaluate(param));
    }
    const PgParams params(values);
    // Built outside an executor, or before its environment variable was set: the runtime's
    // pool is found on each run.
    std::shared_ptr<PgPool> found;
    if (pool_ == nullptr) {
      found = connection_.target
                  ? pool_on(scope.runtime(), *connection_.target, pool_size_)
                  : pool_on(scope.runtime(), connection_from_environment(connection_.variable),
                            pool_size_);
    }
    PgPool& pool = pool_ != nullptr ? *pool_ : *found;
    co_return co_await run_query(pool, query_, params);
  }

 private:
  void read_params(const NodeDef& def) {
    const auto found = def.config.find("params");
    if (found == def.config.end()) {
      return;
    }
    if (!found->is_array()) {
      throw ConfigError("params", "must be an array of expressions, one for each of $1, $2...");
    }
    for (std::size_t i = 0; i < found->size(); ++i) {
      params_.push_back(config::expression_value((*found)[i], fmt::format("params[{}]", i)));
    }
  }

  PgConnectionField connection_;
  PgQuery query_;
  std::vector<Expression> params_;
  std::size_t pool_size_ = 4;
  // The runtime's (it holds the pool for as long as it lives, and a node runs only then).
  PgPool* pool_ = nullptr;
};

}  // namespace

void register_postgres_node(NodeRegistry& registry) {
  registry.add("postgres",
               [](const NodeBuild& build) { return std::make_unique<PostgresNode>(build); });
}

}  // namespace lg::detail
