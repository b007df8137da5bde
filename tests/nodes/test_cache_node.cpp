#include "nodes/wrapper_support.hpp"
#include "wrappers/result_cache.hpp"

#include <doctest/doctest.h>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <future>
#include <string>
#include <thread>
#include <vector>

using lg::Executor;
using lg::detail::ResultCache;
using lg::test::NoteRecorder;
using lg::test::one_node_graph;
using lg::test::World;
using Json = nlohmann::json;

namespace {

Json cache(Json inner, Json options = Json::object()) {
  if (!options.contains("key")) {
    options["key"] = "k";
  }
  return lg::test::wrapper("cache", std::move(inner), std::move(options));
}

std::size_t count(const std::vector<std::string>& notes, const std::string& what) {
  return static_cast<std::size_t>(std::count_if(
      notes.begin(), notes.end(), [&](const auto& n) { return n.rfind(what + " ", 0) == 0; }));
}

// Waits (yielding, bounded) until `notes` holds `n` notes.
bool wait_for_notes(const NoteRecorder& notes, std::size_t n) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (notes.notes().size() < n) {
    if (std::chrono::steady_clock::now() > give_up) {
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

}  // namespace

TEST_SUITE("cache node") {
  TEST_CASE("a hit gives the result and the writes without running the node") {
    for (const char* type : {"flaky", "async_flaky"}) {
      CAPTURE(type);
      auto world = std::make_shared<World>();
      auto notes = std::make_shared<NoteRecorder>();
      Executor executor{one_node_graph(cache({{"type", type}, {"failures", 0}})),
                        lg::test::wrapper_registry(world),
                        {.threads = 2, .observers = {notes}}};
      const Json first = executor.run({{"k", "a"}}).to_json();
      const Json again = executor.run({{"k", "a"}}).to_json();
      const Json other = executor.run({{"k", "b"}}).to_json();
      CHECK(first.at("n") == 1);
      CHECK(again.at("n") == 1);
      CHECK(again.at("attempt_1") == 1);  // the write, replayed
      CHECK(other.at("n") == 2);
      CHECK(world->flaky_runs == 2);
      CHECK(notes->notes() ==
            std::vector<std::string>{"cache_miss 0", "cache_hit 0", "cache_miss 0"});
    }
  }

  TEST_CASE("failures are not kept") {
    auto world = std::make_shared<World>();
    Executor executor{one_node_graph(cache({{"type", "flaky"}, {"failures", 1}})),
                      lg::test::wrapper_registry(world),
                      {.threads = 2}};
    CHECK_THROWS_AS((void)executor.run({{"k", 1}}), lg::ExecutionError);
    CHECK(executor.run({{"k", 1}}).context().get<int>("n") == 2);
    CHECK(executor.run({{"k", 1}}).context().get<int>("n") == 2);
    CHECK(world->flaky_runs == 2);
  }

  TEST_CASE("the least recently used entry goes first") {
    auto world = std::make_shared<World>();
    Executor executor{
        one_node_graph(cache({{"type", "flaky"}, {"failures", 0}}, {{"max_entries", 2}})),
        lg::test::wrapper_registry(world),
        {.threads = 2}};
    const auto run = [&](int k) { return executor.run({{"k", k}}).context().get<int>("n"); };
    CHECK(run(1) == 1);
    CHECK(run(2) == 2);
    CHECK(run(1) == 1);  // 1 is now the most recently used
    CHECK(run(3) == 3);  // evicts 2
    CHECK(run(1) == 1);
    CHECK(run(2) == 4);
  }

  TEST_CASE("entries expire after ttl") {
    ResultCache store({.ttl = std::chrono::milliseconds(10), .max_entries = 10});
    const ResultCache::Clock::time_point t0{};
    const auto executor = boost::asio::system_executor();
    auto miss = store.find(1, executor, t0);
    REQUIRE(miss.leader);
    lg::detail::CachedRun run{.result = "one", .writes = {}};
    store.land(1, miss.flight, nullptr, &run, t0);
    CHECK(store.find(1, executor, t0 + std::chrono::milliseconds(9)).hit);
    const auto expired = store.find(1, executor, t0 + std::chrono::milliseconds(10));
    CHECK_FALSE(expired.hit);
    CHECK(expired.leader);
    CHECK(store.size() == 0);
  }

  TEST_CASE("concurrent misses of one key run the node once") {
    auto world = std::make_shared<World>();
    auto notes = std::make_shared<NoteRecorder>();
    Executor executor{one_node_graph(cache({{"type", "gate"}, {"gate", "g"}})),
                      lg::test::wrapper_registry(world),
                      {.threads = 2, .observers = {notes}}};
    std::vector<std::future<lg::ExecutionResult>> runs;
    for (int i = 0; i < 20; ++i) {
      runs.push_back(executor.async_execute(Json{{"k", "same"}}, boost::asio::use_future));
    }
    REQUIRE(wait_for_notes(*notes, 20));  // every run has looked: one leads, the others wait
    world->gate("g").open();
    for (auto& run : runs) {
      CHECK(run.get().context().get<bool>("n") == true);
    }
    const auto seen = notes->notes();
    CHECK(count(seen, "cache_miss") == 1);
    CHECK(count(seen, "cache_shared") == 19);
  }

  TEST_CASE("when the leading run is cancelled, a waiting one takes over") {
    auto world = std::make_shared<World>();
    auto notes = std::make_shared<NoteRecorder>();
    Executor executor{one_node_graph(cache({{"type", "gate"}, {"gate", "g"}})),
                      lg::test::wrapper_registry(world),
                      {.threads = 2, .observers = {notes}}};
    boost::asio::cancellation_signal stop_leader;
    // The outcome is read in the handler: the error never crosses to this thread.
    std::promise<bool> leader_cancelled;
    executor.async_execute(
        Json{{"k", 1}},
        boost::asio::bind_cancellation_slot(
            stop_leader.slot(), [&](std::exception_ptr error, lg::ExecutionResult) {
              leader_cancelled.set_value(error &&
                                         lg::describe(error).rfind("execution cancelled", 0) == 0);
            }));
    REQUIRE(wait_for_notes(*notes, 1));
    std::future<lg::ExecutionResult> waiter =
        executor.async_execute(Json{{"k", 1}}, boost::asio::use_future);
    REQUIRE(wait_for_notes(*notes, 2));
    stop_leader.emit(boost::asio::cancellation_type::terminal);
    CHECK(leader_cancelled.get_future().get());
    world->gate("g").open();
    CHECK(waiter.get().context().get<bool>("n") == true);
    CHECK(notes->notes() == std::vector<std::string>{"cache_miss 0", "cache_shared 0"});
  }

  TEST_CASE("bad configs name the field") {
    const Json inner = {{"type", "rule"}, {"condition", "true"}};
    CHECK(
        lg::test::build_error({{"type", "cache"}, {"node", inner}}).find("field 'key': missing") !=
        std::string::npos);
    CHECK(lg::test::build_error(cache(inner, {{"key", "(("}})).find("field 'key'") !=
          std::string::npos);
    CHECK(lg::test::build_error(cache(inner, {{"ttl_ms", 0}})).find("field 'ttl_ms'") !=
          std::string::npos);
    CHECK(lg::test::build_error(cache(inner, {{"max_entries", 0}}))
              .find("field 'max_entries': must be from 1") != std::string::npos);
  }
}
