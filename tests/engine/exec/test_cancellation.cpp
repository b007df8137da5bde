// Ending an execution early: cancellation through the handler's slot, a deadline; and the
// completion tokens async_execute takes.

#include <logic_graph/engine/exec/executor.hpp>

#include "support/execution_failure.hpp"
#include "support/held_graph.hpp"

#include <logic_graph/nodes/builtin_nodes.hpp>

#include <doctest/doctest.h>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdint>
#include <future>
#include <string>

namespace asio = boost::asio;
using lg::ExecutionError;
using lg::ExecutionResult;
using lg::Executor;
using lg::GraphDef;
using lg::NodeStatus;
using Json = nlohmann::json;

namespace {

// Starts an execution, cancels it through the handler's slot straight away (from this thread,
// racing the executor's threads) and says whether it ended with a cancelled ExecutionError.
bool ends_cancelled_at_once(Executor& executor) {
  asio::cancellation_signal signal;
  std::promise<std::exception_ptr> done;
  executor.async_execute(
      Json::object(),
      asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr error, ExecutionResult) {
        done.set_value(std::move(error));  // moved: the waiting thread is its last owner
      }));
  // The slot was connected before async_execute returned.
  signal.emit(asio::cancellation_type::terminal);
  const std::exception_ptr error = done.get_future().get();
  if (!error) {
    return false;
  }
  try {
    std::rethrow_exception(error);
  } catch (const ExecutionError& e) {
    return e.kind() == ExecutionError::Kind::cancelled;
  } catch (...) {
  }
  return false;
}

}  // namespace

TEST_SUITE("executor") {
  TEST_CASE("cancellation through the handler's slot stops the execution") {
    Executor executor{lg::test::held_graph(60'000), lg::builtin_nodes(), {.threads = 2}};
    CHECK(ends_cancelled_at_once(executor));
  }

  TEST_CASE("a cancellation at once never escapes and never waits for the node") {
    // The cancellation races the start of the asynchronous node: it may arrive before the
    // node's coroutine has begun, while it waits, or before the node is started at all. Each
    // execution must end cancelled (a lost cancellation would wait out the 60 s delay) and
    // nothing may be thrown past the completion handler (that would terminate the process).
    Executor executor{lg::test::held_graph(60'000), lg::builtin_nodes(), {.threads = 2}};
    int cancelled = 0;
    for (int i = 0; i < 300; ++i) {
      cancelled += ends_cancelled_at_once(executor) ? 1 : 0;
    }
    CHECK(cancelled == 300);
  }

  TEST_CASE("a deadline stops a slow execution") {
    GraphDef graph;
    graph.node("wait", "delay", {{"ms", 60'000}});
    Executor executor{
        graph, lg::builtin_nodes(), {.threads = 2, .deadline = std::chrono::milliseconds(20)}};
    const ExecutionError error = lg::test::failure(executor);
    CHECK(error.kind() == ExecutionError::Kind::deadline);
    CHECK(std::string(error.what()).find("deadline of 20 ms") != std::string::npos);

    GraphDef quick;
    quick.node("fast", "rule", {{"condition", "true"}});
    Executor within{
        quick, lg::builtin_nodes(), {.threads = 2, .deadline = std::chrono::seconds(60)}};
    CHECK(within.run().count(NodeStatus::executed) == 1);  // completes without waiting
  }

  TEST_CASE("completion tokens: use_awaitable, use_future and a callback") {
    GraphDef graph;
    graph.node("double", "compute", {{"set", {{"y", "x * 2"}}}});
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2}};

    asio::io_context io;
    std::int64_t from_coroutine = 0;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          Json input = {{"x", 21}};  // not inline: GCC 12 miscompiles init lists in co_await
          ExecutionResult result = co_await executor.async_execute(input, asio::use_awaitable);
          from_coroutine = result.context().get<std::int64_t>("y").value_or(0);
        },
        asio::detached);
    io.run();  // returns only once the coroutine finished: the execution kept io busy
    CHECK(from_coroutine == 42);

    auto future = executor.async_execute({{"x", 5}}, asio::use_future);
    CHECK(future.get().context().get<std::int64_t>("y") == 10);

    std::promise<std::int64_t> called;
    executor.async_execute({{"x", 1}}, [&](std::exception_ptr, ExecutionResult result) {
      called.set_value(result.context().get<std::int64_t>("y").value_or(0));
    });
    CHECK(called.get_future().get() == 2);
  }
}
