// Context pooling: borrow a context, use it, give it back, and reuse it.

#include <logic_graph/engine/context/context_pool.hpp>

#include <iostream>
#include <string>
#include <utility>

int main() {
  // [readme:pool-basics]
  // The founding guide's defaults: up to 100 idle contexts, 16 keys of room each.
  lg::ContextPool pool;

  {
    // A lease: the context goes back to the pool (emptied) when `ctx` leaves scope.
    auto ctx = pool.acquire();
    ctx->set("key", "value");
    std::cout << "key = " << ctx->get<std::string>("key").value_or("?") << '\n';
  }
  std::cout << "Idle after scope exit: " << pool.size() << '\n';

  // The explicit pair of the seed guide; the second acquire reuses the first context.
  auto ctx = pool.acquire();
  std::cout << "Reused context is empty: " << std::boolalpha << ctx->empty() << '\n';
  ctx->set("user", {{"id", 42}, {"name", "ada"}});
  std::cout << "user = " << ctx->to_json().at("user").dump() << '\n';
  pool.release(std::move(ctx));
  std::cout << "Idle after release: " << pool.size() << '\n';
  // [/readme]

  // Larger services pool more contexts and give each more room up front.
  lg::ContextPool custom{{.max_pooled = 200, .initial_capacity = 32, .track_stats = true}};
  auto big = custom.acquire();
  std::cout << "Custom pool: max_pooled=" << custom.config().max_pooled
            << ", initial_capacity=" << custom.config().initial_capacity
            << ", context capacity=" << big->capacity() << '\n';

  const lg::PoolStats stats = pool.stats();
  std::cout << "Default pool: acquired=" << stats.total_acquired << ", created=" << stats.created
            << ", reused=" << stats.reused << '\n';
}
