// The per-request timeout: race an execution against a timer with Asio's awaitable operators;
// whichever finishes first cancels the other. Here a slow graph loses to a 20 ms timer, and a
// quick one wins against it.

#include <logic_graph/logic_graph.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <variant>

namespace asio = boost::asio;

// [readme:request-timeout]
using namespace asio::experimental::awaitable_operators;

asio::awaitable<void> handle(lg::Executor& executor, nlohmann::json input) {
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
  std::variant<lg::ExecutionResult, std::monostate> outcome = co_await (
      executor.async_execute(input, asio::use_awaitable) || timer.async_wait(asio::use_awaitable));
  if (outcome.index() == 0) {
    std::cout << executor.name() << ": done, "
              << std::get<0>(outcome).count(lg::NodeStatus::executed) << " node(s) ran\n";
  } else {
    std::cout << executor.name() << ": timed out; the execution was cancelled\n";
  }
}
// [/readme]

int main() {
  lg::GraphDef slow;
  slow.name = "slow";
  slow.node("wait", "delay", {{"ms", 60'000}});
  lg::GraphDef quick;
  quick.name = "quick";
  quick.node("check", "rule", {{"condition", "true"}});
  const lg::NodeRegistry registry = lg::builtin_nodes();
  lg::Executor slow_executor{slow, registry, {.threads = 2}};
  lg::Executor quick_executor{quick, registry, {.threads = 2}};

  asio::io_context io;
  asio::co_spawn(io, handle(slow_executor, nullptr), asio::detached);
  asio::co_spawn(io, handle(quick_executor, nullptr), asio::detached);
  io.run();
  std::cout << "in flight afterwards: " << slow_executor.in_flight() + quick_executor.in_flight()
            << '\n';
}
