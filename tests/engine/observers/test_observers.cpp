#include <logic_graph/engine/observers/logging_observer.hpp>
#include <logic_graph/engine/observers/profiling_observer.hpp>
#include <logic_graph/engine/observers/trace_observer.hpp>
#include "observers/latency_histogram.hpp"

#include "support/test_nodes.hpp"
#include "support/trace_check.hpp"

#include <logic_graph/engine/exec/executor.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <spdlog/sinks/ostream_sink.h>
#include <boost/asio/use_future.hpp>

#include <unistd.h>

#include <future>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using lg::Executor;
using lg::GraphDef;
using Json = nlohmann::json;

namespace {

GraphDef small_graph() {
  return GraphDef::parse(R"json({
    "name": "observed",
    "nodes": [
      {"id": "check", "type": "rule", "condition": "n >= 0"},
      {"id": "label", "type": "compute", "set": {"text": "'item number ' + str(n) + ' of many'"}}
    ],
    "edges": [{"from": "check", "to": "label", "when": "check"}]
  })json");
}

}  // namespace

TEST_SUITE("observers") {
  TEST_CASE("latency histogram percentiles are within an eighth") {
    lg::detail::LatencyHistogram histogram;
    for (int i = 1; i <= 1000; ++i) {
      histogram.add(std::chrono::nanoseconds(i * 1000));
    }
    CHECK(histogram.count() == 1000);
    const auto p50 = histogram.percentile(0.5).count();
    const auto p99 = histogram.percentile(0.99).count();
    CHECK(p50 >= 500'000);
    CHECK(p50 <= 500'000 * 9 / 8);
    CHECK(p99 >= 990'000);
    CHECK(p99 <= 1'000'000);
    CHECK(histogram.max().count() == 1'000'000);
    CHECK(histogram.total().count() == 500'500'000);
    CHECK(lg::detail::LatencyHistogram{}.percentile(0.5).count() == 0);
  }

  TEST_CASE("the profiling observer counts every node and execution") {
    auto profile = std::make_shared<lg::ProfilingObserver>();
    Executor executor{small_graph(), lg::builtin_nodes(), {.threads = 2, .observers = {profile}}};
    for (int n = 0; n < 100; ++n) {
      executor.run({{"n", n}});
    }
    const auto report = profile->report();
    REQUIRE(report.nodes.size() == 2);
    CHECK(report.executions == 100);
    CHECK(report.failed_executions == 0);
    std::set<std::string> ids;
    for (const auto& node : report.nodes) {
      ids.insert(node.id);
      CHECK(node.count == 100);
      CHECK(node.p50 <= node.p99);
      CHECK(node.p99 <= node.max);
      CHECK(node.total >= node.max);
    }
    CHECK(ids == std::set<std::string>{"check", "label"});
    const auto& label = report.nodes[0].id == "label" ? report.nodes[0] : report.nodes[1];
    const auto& check = report.nodes[0].id == "check" ? report.nodes[0] : report.nodes[1];
    CHECK(label.allocations >= 100);  // it builds a long string every run
    CHECK(check.allocations == 0);    // a comparison borrows from the context
    CHECK(report.pool_reuse_rate > 90.0);
    const std::string table = profile->format();
    CHECK(table.find("label") != std::string::npos);
    CHECK(table.find("executions: 100 (0 failed)") != std::string::npos);
  }

  TEST_CASE("the profiling observer counts failures") {
    auto profile = std::make_shared<lg::ProfilingObserver>();
    GraphDef graph;
    graph.node("boom", "throw", {{"message", "no"}});
    Executor executor{graph, lg::test::test_registry(), {.threads = 1, .observers = {profile}}};
    CHECK_THROWS_AS(executor.run(), lg::ExecutionError);
    const auto report = profile->report();
    REQUIRE(report.nodes.size() == 1);
    CHECK(report.nodes[0].failures == 1);
    CHECK(report.failed_executions == 1);
  }

  TEST_CASE("the trace observer writes Chrome trace events, nodes nested in their execution") {
    auto trace = std::make_shared<lg::TraceObserver>();
    Executor executor{small_graph(), lg::builtin_nodes(), {.threads = 2, .observers = {trace}}};
    for (int n = 0; n < 10; ++n) {
      executor.run({{"n", n}});
    }
    CHECK(trace->size() == 30);  // 2 nodes and 1 execution span each
    const auto file =
        std::filesystem::temp_directory_path() / fmt::format("lg_test_trace-{}.json", ::getpid());
    trace->write(file);
    std::ifstream in(file);
    const Json written = Json::parse(in);
    std::filesystem::remove(file);
    int nodes = 0;
    int executions = 0;
    std::set<int> tracks;
    for (const Json& event : written.at("traceEvents")) {
      if (event.at("ph") != "X") {
        continue;
      }
      tracks.insert(event.at("tid").get<int>());
      CHECK(event.at("dur").get<std::int64_t>() >= 0);
      if (event.at("cat") == "execution") {
        ++executions;
        CHECK(event.at("name").get<std::string>().starts_with("observed #"));
        CHECK(event.at("args").at("succeeded") == true);
      } else {
        ++nodes;
        CHECK(event.at("args").at("status") == "executed");
        CHECK(event.at("args").at("duration_ns").get<std::int64_t>() >= 0);
      }
    }
    CHECK(nodes == 20);
    CHECK(executions == 10);
    CHECK(tracks.size() == 1);  // one execution at a time: one track is enough
    CHECK(lg::test::overlapping_slices(written).empty());
    CHECK_THROWS_WITH(trace->write("/nonexistent/dir/trace.json"),
                      doctest::Contains("/nonexistent/dir/trace.json"));

    lg::TraceObserver bounded(5);
    Executor small{small_graph(),
                   lg::builtin_nodes(),
                   {.threads = 1,
                    .observers = {std::shared_ptr<lg::ExecutionObserver>(
                        &bounded, [](lg::ExecutionObserver*) {})}}};
    for (int n = 0; n < 3; ++n) {
      small.run({{"n", n}});
    }
    CHECK(bounded.size() == 5);
    CHECK(bounded.dropped() == 4);
  }

  TEST_CASE("1,000 concurrent executions with parallel asynchronous nodes trace without overlaps" *
            doctest::timeout(120)) {
    // Every node of the fan-out waits on a timer, so nodes of one execution overlap, and 64
    // executions are in flight: the trace must still nest on every track.
    const GraphDef graph = GraphDef::parse(R"json({
      "name": "wide",
      "nodes": [
        {"id": "start", "type": "rule", "condition": "true"},
        {"id": "a", "type": "delay", "ms": 1}, {"id": "b", "type": "delay", "ms": 1},
        {"id": "c", "type": "delay", "ms": 0}, {"id": "d", "type": "rule", "condition": "true"},
        {"id": "end", "type": "rule", "condition": "true"}
      ],
      "edges": [{"from": "start", "to": "a"}, {"from": "start", "to": "b"},
                {"from": "start", "to": "c"}, {"from": "start", "to": "d"},
                {"from": "a", "to": "end"}, {"from": "b", "to": "end"},
                {"from": "c", "to": "end"}, {"from": "d", "to": "end"}]
    })json");
    auto trace = std::make_shared<lg::TraceObserver>();
    Executor executor{graph, lg::builtin_nodes(), {.threads = 2, .observers = {trace}}};
    for (int wave = 0; wave < 1000 / 64 + 1; ++wave) {
      std::vector<std::future<lg::ExecutionResult>> flying;
      for (int i = 0; i < 64 && wave * 64 + i < 1000; ++i) {
        flying.push_back(executor.async_execute(nullptr, boost::asio::use_future));
      }
      for (auto& execution : flying) {
        execution.get();
      }
    }
    const Json written = trace->to_json();
    const std::vector<std::string> overlaps = lg::test::overlapping_slices(written);
    CHECK(overlaps.empty());
    if (!overlaps.empty()) {
      MESSAGE(overlaps.front());
    }
    CHECK(trace->size() == 7000);
  }

  TEST_CASE("a node's error that is not valid UTF-8 does not keep the trace from being written") {
    struct Broken final : lg::SyncNode {
      explicit Broken(const lg::NodeDef& def) : SyncNode(def) {}
      nlohmann::json do_run(lg::NodeScope&) const override {
        throw std::runtime_error("half a character: \xc3");
      }
    };
    lg::NodeRegistry registry = lg::builtin_nodes();
    registry.add("broken", [](const lg::NodeDef& def) { return std::make_unique<Broken>(def); });
    auto trace = std::make_shared<lg::TraceObserver>();
    GraphDef graph;
    graph.node("x", "broken");
    Executor executor{graph, registry, {.threads = 1, .observers = {trace}}};
    CHECK_THROWS_AS(executor.run(), lg::ExecutionError);
    const auto file = std::filesystem::temp_directory_path() /
                      fmt::format("lg_test_trace_utf8-{}.json", ::getpid());
    trace->write(file);
    std::ifstream in(file);
    const Json written = Json::parse(in);
    std::filesystem::remove(file);
    CHECK(written.at("traceEvents").size() == 3);  // a track's name, the node, the execution
  }

  TEST_CASE("the logging observer logs executions and failures") {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    sink->set_pattern("%l %v");
    auto logger = std::make_shared<spdlog::logger>("test", sink);
    logger->set_level(spdlog::level::debug);
    GraphDef graph = small_graph();
    graph.node("boom", "throw", {{"message", "bad luck"}}).edge("label", "boom");
    Executor executor{graph,
                      lg::test::test_registry(),
                      {.threads = 1, .observers = {std::make_shared<lg::LoggingObserver>(logger)}}};
    CHECK_THROWS_AS(executor.run({{"n", 1}}), lg::ExecutionError);
    const std::string text = out.str();
    CHECK(text.find("info execution 1 of 'observed' started") != std::string::npos);
    CHECK(text.find("debug execution 1: node 'check' (rule) executed in") != std::string::npos);
    CHECK(text.find("warning execution 1: node 'boom' (throw) failed after") != std::string::npos);
    CHECK(text.find("bad luck") != std::string::npos);
    CHECK(text.find("warning execution 1 of 'observed' failed after") != std::string::npos);
  }
}
