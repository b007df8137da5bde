#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/nodes/sqlite.hpp>
#include "io/blocking_pool.hpp"
#include "io/sqlite/sqlite_database.hpp"
#include "io/sqlite/sqlite_query.hpp"
#include "registration.hpp"

#include <fmt/format.h>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string_view>

namespace lg {
namespace {

constexpr std::string_view threads_key = "lg.sqlite.threads";
constexpr std::size_t max_threads = 256;

std::size_t default_threads() {
  const char* text = std::getenv("LG_SQLITE_THREADS");
  if (text == nullptr || *text == '\0') {
    return 4;
  }
  char* end = nullptr;
  const unsigned long long threads = std::strtoull(text, &end, 10);
  if (*end != '\0' || threads == 0 || threads > max_threads) {
    throw std::invalid_argument(fmt::format(
        "LG_SQLITE_THREADS: '{}' is not a thread count from 1 to {}", text, max_threads));
  }
  return threads;
}

std::shared_ptr<detail::BlockingPool> sqlite_threads(Runtime& runtime) {
  return runtime.shared<detail::BlockingPool>(threads_key, [&] {
    return std::make_shared<detail::BlockingPool>(default_threads(), runtime.get_executor());
  });
}

}  // namespace

void set_sqlite_threads(Runtime& runtime, std::size_t threads) {
  if (threads == 0 || threads > max_threads) {
    throw std::invalid_argument(fmt::format(
        "set_sqlite_threads: {} is not a thread count from 1 to {}", threads, max_threads));
  }
  const auto pool = runtime.shared<detail::BlockingPool>(threads_key, [&] {
    return std::make_shared<detail::BlockingPool>(threads, runtime.get_executor());
  });
  if (pool->size() != threads) {
    throw std::logic_error(fmt::format(
        "set_sqlite_threads: this runtime's {} SQLite threads already run (set the count before "
        "the first sqlite node is built)",
        pool->size()));
  }
}

namespace detail {
namespace {

using Json = nlohmann::json;

// What a run of the node hands to the SQLite thread; shared, so that it stays alive for a call
// in progress whatever happens to the node.
struct SqliteQuery {
  std::string sql;
  SqlMode mode;
  std::size_t max_rows;
};

/// `sqlite`: runs `query` on `database` with `params`, on the runtime's SQLite threads.
class SqliteNode final : public AsyncNode {
 public:
  explicit SqliteNode(const NodeBuild& build) : AsyncNode(build.def()) {
    const NodeDef& def = build.def();
    config::allow_only(
        def, {"database", "query", "params", "mode", "max_rows", "pool_size", "busy_timeout_ms"});
    query_ = std::make_shared<SqliteQuery>(
        SqliteQuery{config::required_string(def, "query"), sql_mode_of(def),
                    static_cast<std::size_t>(config::optional_count(def, "max_rows", 100000))});
    read_params(def);
    pool_size_ = static_cast<std::size_t>(config::optional_count(def, "pool_size", 4));
    if (pool_size_ == 0 || pool_size_ > 64) {
      throw ConfigError("pool_size", fmt::format("must be from 1 to 64, found {}", pool_size_));
    }
    busy_ms_ = static_cast<int>(std::min<std::int64_t>(
        config::optional_count(def, "busy_timeout_ms", 5000), 24LL * 60 * 60 * 1000));
    locate_database(def, build.graph());
    if (build.runtime() != nullptr) {
      threads_ = sqlite_threads(*build.runtime()).get();
      database_ = database_on(*build.runtime());
    }
  }

 protected:
  boost::asio::awaitable<Json> do_run(NodeScope& scope) const override {
    SqlParams params;
    params.names = param_names_;
    params.values.reserve(param_expressions_.size());
    for (const Expression& expression : param_expressions_) {
      params.values.push_back(scope.evaluate(expression));
    }
    // Built outside an executor: the runtime's shared parts are found on each run.
    BlockingPool& threads = threads_ != nullptr ? *threads_ : *sqlite_threads(scope.runtime());
    auto database = database_ != nullptr ? database_ : database_on(scope.runtime());
    // Named, not temporaries of the co_await: GCC 12 destroys a co_await's temporaries with
    // captures twice.
    auto work = [database = std::move(database), query = query_,
                 params = std::move(params)](BlockingCall& call) {
      const SqliteDatabase::Lease connection = database->acquire();
      const auto armed = call.interruptible([db = connection->handle()] { sqlite3_interrupt(db); });
      return run_query(*connection, query->sql, params, query->mode, query->max_rows);
    };
    auto call = std::make_shared<BlockingCall>();
    co_return co_await async_blocking(threads, std::move(call), std::move(work),
                                      boost::asio::use_awaitable);
  }

 private:
  void read_params(const NodeDef& def) {
    const auto found = def.config.find("params");
    if (found == def.config.end()) {
      return;
    }
    if (found->is_array()) {
      for (std::size_t i = 0; i < found->size(); ++i) {
        param_expressions_.push_back(
            config::expression_value((*found)[i], fmt::format("params[{}]", i)));
      }
    } else if (found->is_object()) {
      for (const auto& [name, value] : found->items()) {
        param_names_.push_back(name);
        param_expressions_.push_back(config::expression_value(value, "params." + name));
      }
    } else {
      throw ConfigError("params",
                        "must be an array of expressions (for ?1, ?2...) or an object of them "
                        "(for :name)");
    }
  }

  // A file relative to the graph's file; ":memory:" the node's own database; a `file:` URI as
  // SQLite reads it (`file:name?mode=memory&cache=shared`: a memory database shared by name).
  void locate_database(const NodeDef& def, const GraphDef* graph) {
    const std::string name = config::required_string(def, "database");
    if (name.empty()) {
      throw ConfigError("database", "must name a file, ':memory:' or a 'file:' URI");
    }
    if (name == ":memory:") {
      own_memory_ = true;
      database_name_ = name;
      return;
    }
    if (name.starts_with("file:")) {
      database_name_ = name;
      file_database_ = name.find("mode=memory") == std::string::npos;
      return;
    }
    std::filesystem::path file(name);
    if (file.is_relative() && graph != nullptr) {
      file = std::filesystem::path(graph->source).parent_path() / file;
    }
    std::error_code error;
    const std::filesystem::path canonical = std::filesystem::weakly_canonical(file, error);
    database_name_ = (error ? file.lexically_normal() : canonical).string();
  }

  std::shared_ptr<SqliteDatabase> database_on(Runtime& runtime) const {
    auto make = [this] {
      return std::make_shared<SqliteDatabase>(database_name_, file_database_, pool_size_, busy_ms_);
    };
    if (own_memory_) {
      // One per node; a node built outside an executor keeps the first it makes.
      std::call_once(own_made_, [&] { own_ = make(); });
      return own_;
    }
    return runtime.shared<SqliteDatabase>("lg.sqlite:" + database_name_, make);
  }

  std::shared_ptr<const SqliteQuery> query_;
  std::vector<std::string> param_names_;
  std::vector<Expression> param_expressions_;
  std::string database_name_;
  bool file_database_ = true;
  bool own_memory_ = false;
  std::size_t pool_size_ = 4;
  int busy_ms_ = 5000;
  // The runtime's, not shared: its threads must end with the runtime, before the pools they
  // touch (a node may outlive its runtime; it runs only while the runtime lives).
  BlockingPool* threads_ = nullptr;
  std::shared_ptr<SqliteDatabase> database_;
  mutable std::once_flag own_made_;
  mutable std::shared_ptr<SqliteDatabase> own_;
};

}  // namespace

void register_sqlite_node(NodeRegistry& registry) {
  registry.add("sqlite",
               [](const NodeBuild& build) { return std::make_unique<SqliteNode>(build); });
}

}  // namespace detail
}  // namespace lg
