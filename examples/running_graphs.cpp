// Running graphs: build an Executor once, then run it blocking, with a future, and from a
// coroutine, with per-call options (a trace).

#include <logic_graph/logic_graph.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdio>
#include <iostream>

namespace asio = boost::asio;

// [readme:running-graphs]
const char* const order_flow = R"json({
  "name": "order_flow",
  "nodes": [
    {"id": "validate", "type": "rule", "condition": "order.total > 0 && order.items > 0"},
    {"id": "price", "type": "compute", "set": {"discount": "order.total >= 100 ? 0.1 : 0.0"}}
  ],
  "edges": [{"from": "validate", "to": "price", "when": "validate"}]
})json";

asio::awaitable<void> serve(lg::Executor& executor) {
  nlohmann::json input = {{"order", {{"total", 50}, {"items", 1}}}};  // see the GCC 12 note
  lg::ExecutionResult result = co_await executor.async_execute(input, asio::use_awaitable);
  std::cout << "from a coroutine: price " << lg::to_string(result.status("price")) << '\n';
}

int main() {
  // GraphDef::load("graph.json") reads a file; lg::GraphError lists every problem it finds.
  const lg::GraphDef graph = lg::GraphDef::parse(order_flow, "order_flow.json");
  auto profile = std::make_shared<lg::ProfilingObserver>();
  lg::Executor executor{graph, lg::builtin_nodes(), {.threads = 2, .observers = {profile}}};

  const nlohmann::json input = {{"order", {{"total", 120}, {"items", 2}}}};
  lg::ExecutionResult result = executor.run(input);  // blocking; this thread runs nodes too
  std::cout << "discount " << result.context().get<double>("discount").value_or(0.0) << '\n';

  // Asynchronously, with any Asio completion token; the handler's cancellation slot cancels.
  std::future<lg::ExecutionResult> later = executor.async_execute(input, asio::use_future);
  std::cout << "from a future: price " << lg::to_string(later.get().status("price")) << '\n';

  asio::io_context io;
  asio::co_spawn(io, serve(executor), asio::detached);
  io.run();

  // Per-call options: a deadline, a memory budget, observers of its own, a per-node trace.
  const lg::ExecutionResult traced = executor.run(input, {.trace = true});
  for (const lg::NodeTrace& node : traced.trace()) {
    std::cout << "trace: " << node.node_id << ' ' << lg::to_string(node.status) << " read "
              << node.keys_read.size() << " key(s), result " << node.result.dump() << '\n';
  }
  std::fputs(profile->format().c_str(), stdout);
}
// [/readme]
