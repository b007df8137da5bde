// A shared runtime: many executors on one thread pool and context pool, with a limit on
// executions in flight; an executor replaced while its executions run (a hot reload); and an
// orderly shutdown.

#include <logic_graph/logic_graph.hpp>

#include <boost/asio/use_future.hpp>

#include <iostream>
#include <vector>

namespace asio = boost::asio;

int main() {
  // [readme:shared-runtime]
  auto runtime =
      std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2, .max_inflight = 100});
  const lg::NodeRegistry registry = lg::builtin_nodes();
  lg::GraphDef orders;
  orders.node("wait", "delay", {{"ms", 5}}).node("ok", "rule", {{"condition", "wait == 5"}});
  orders.edge("wait", "ok");

  auto version_1 =
      std::make_unique<lg::Executor>(orders, registry, lg::ExecutorOptions{.runtime = runtime});
  std::vector<std::future<lg::ExecutionResult>> running;
  for (int i = 0; i < 10; ++i) {
    running.push_back(version_1->async_execute(nullptr, asio::use_future));
  }
  // A hot reload: the old executor goes while its executions run; they keep what they need.
  version_1 =
      std::make_unique<lg::Executor>(orders, registry, lg::ExecutorOptions{.runtime = runtime});
  for (auto& execution : running) {
    std::cout << "old version: ok " << execution.get().context().get<bool>("ok").value_or(false)
              << '\n';
  }

  // Shutdown: stop taking executions (new ones are rejected), wait for the ones in flight.
  runtime->shutdown();
  try {
    version_1->run();
  } catch (const lg::ExecutionError& e) {
    std::cout << "after shutdown: " << lg::to_string(e.kind()) << '\n';
  }
  // [/readme]
  std::cout << "in flight: " << runtime->in_flight() << '\n';
}
