#include "nodes/node_run.hpp"
#include "support/execution_failure.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using lg::Executor;
using lg::test::build_error;
using lg::test::graph_of;
using lg::test::one_node_graph;
using Json = nlohmann::json;

using lg::test::failure_message;

namespace {

const Json doubler = graph_of({{{"id", "twice"}, {"type", "compute"}, {"set", {{"y", "x * 2"}}}}});

// A temporary directory with graph files, removed at the end.
struct GraphFiles {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("lg_subgraph_" + std::to_string(::getpid()));
  GraphFiles() { std::filesystem::create_directories(dir / "parts"); }
  ~GraphFiles() { std::filesystem::remove_all(dir); }
  std::filesystem::path write(const std::string& name, const Json& graph) const {
    std::ofstream(dir / name) << graph.dump();
    return dir / name;
  }
};

}  // namespace

TEST_SUITE("subgraph node") {
  TEST_CASE("input and output map between the contexts, the child's is its own") {
    Executor executor{one_node_graph({{"type", "subgraph"},
                                      {"graph", doubler},
                                      {"input", {{"x", "order.qty + 1"}}},
                                      {"output", {{"doubled", "y"}, {"also", "twice.y + x"}}}}),
                      lg::builtin_nodes(),
                      {.threads = 2}};
    const Json ctx = executor.run({{"order", {{"qty", 20}}}}).to_json();
    CHECK(ctx.at("doubled") == 42);
    CHECK(ctx.at("also") == 63);
    CHECK(ctx.at("n") == Json{{"doubled", 42}, {"also", 63}});
    CHECK_FALSE(ctx.contains("y"));  // the child's writes stay in the child
    CHECK_FALSE(ctx.contains("twice"));
  }

  TEST_CASE("without output the result is the child's final context") {
    Executor executor{
        one_node_graph({{"type", "subgraph"}, {"graph", doubler}, {"input", {{"x", "4"}}}}),
        lg::builtin_nodes(),
        {.threads = 2}};
    const Json result = executor.run().to_json().at("n");
    CHECK(result.at("y") == 8);
    CHECK(result.at("x") == 4);
  }

  TEST_CASE("a child that suspends is awaited, a stop of the parent stops it") {
    const Json waits = graph_of({{{"id", "wait"}, {"type", "delay"}, {"ms", 1}}});
    Executor executor{
        one_node_graph({{"type", "subgraph"}, {"graph", waits}, {"output", {{"w", "wait"}}}}),
        lg::builtin_nodes(),
        {.threads = 2}};
    CHECK(executor.run().context().get<int>("w") == 1);
    const Json forever = graph_of({{{"id", "wait"}, {"type", "delay"}, {"ms", 60'000}}});
    Executor stopped{one_node_graph({{"type", "subgraph"}, {"graph", forever}}),
                     lg::builtin_nodes(),
                     {.threads = 2, .deadline = std::chrono::milliseconds(20)}};
    CHECK(failure_message(stopped).find("deadline") != std::string::npos);
  }

  TEST_CASE("a failure names the child node by its path, through nested subgraphs") {
    const Json bad = graph_of({{{"id", "bad"}, {"type", "compute"}, {"set", {{"z", "1 / x"}}}}});
    Executor executor{
        one_node_graph({{"type", "subgraph"}, {"graph", bad}, {"input", {{"x", "0"}}}}),
        lg::builtin_nodes(),
        {.threads = 2}};
    CHECK(failure_message(executor).find("node 'n/bad' failed: ") != std::string::npos);
    const Json outer = graph_of(
        {{{"id", "inner"}, {"type", "subgraph"}, {"graph", bad}, {"input", {{"x", "0"}}}}});
    Executor nested{one_node_graph({{"type", "subgraph"}, {"graph", outer}}),
                    lg::builtin_nodes(),
                    {.threads = 2}};
    const std::string error = failure_message(nested);
    CAPTURE(error);
    CHECK(error.find("node 'n/inner/bad' failed: ") != std::string::npos);
    CHECK(error.find("division by zero") != std::string::npos);
  }

  TEST_CASE("a file is read relative to the parent graph's file") {
    GraphFiles files;
    files.write("parts/double.json", doubler);
    const auto parent = files.write("main.json", graph_of({{{"id", "sub"},
                                                            {"type", "subgraph"},
                                                            {"file", "parts/double.json"},
                                                            {"input", {{"x", "21"}}},
                                                            {"output", {{"answer", "y"}}}}}));
    Executor executor{lg::GraphDef::load(parent), lg::builtin_nodes(), {.threads = 2}};
    CHECK(executor.run().context().get<int>("answer") == 42);
    const auto missing =
        files.write("missing.json",
                    graph_of({{{"id", "sub"}, {"type", "subgraph"}, {"file", "parts/none.json"}}}));
    const std::string error = build_error(lg::GraphDef::load(missing), lg::builtin_nodes());
    CHECK(error.find("field 'file'") != std::string::npos);
    CHECK(error.find("none.json") != std::string::npos);
  }

  TEST_CASE("a file that includes itself is an error at build time, naming the chain") {
    GraphFiles files;
    const auto self = files.write(
        "self.json", graph_of({{{"id", "again"}, {"type", "subgraph"}, {"file", "self.json"}}}));
    CHECK(build_error(lg::GraphDef::load(self), lg::builtin_nodes())
              .find("the graph includes itself") != std::string::npos);
    files.write("a.json", graph_of({{{"id", "to_b"}, {"type", "subgraph"}, {"file", "b.json"}}}));
    files.write("b.json", graph_of({{{"id", "to_a"}, {"type", "subgraph"}, {"file", "a.json"}}}));
    const std::string error =
        build_error(lg::GraphDef::load(files.dir / "a.json"), lg::builtin_nodes());
    CAPTURE(error);
    CHECK(error.find("the graph includes itself: ") != std::string::npos);
    CHECK(error.find("b.json -> ") != std::string::npos);
  }

  TEST_CASE("a chain of files is bounded: 64 levels build, deeper is an error at build time") {
    GraphFiles files;
    // level_N.json runs level_{N+1}.json; the last one doubles x.
    const auto chain = [&](int levels) {
      const std::string prefix = fmt::format("chain{}_", levels);
      files.write(fmt::format("{}{}.json", prefix, levels), doubler);
      for (int level = levels - 1; level >= 0; --level) {
        files.write(fmt::format("{}{}.json", prefix, level),
                    graph_of({{{"id", "down"},
                               {"type", "subgraph"},
                               {"file", fmt::format("{}{}.json", prefix, level + 1)},
                               {"input", {{"x", "x"}}},
                               {"output", {{"y", "y"}}}}}));
      }
      return lg::GraphDef::load(files.dir / fmt::format("{}0.json", prefix));
    };
    Executor deep{chain(64), lg::builtin_nodes(), {.threads = 2}};
    CHECK(deep.run(nlohmann::json{{"x", 4}}).context().get<int>("y") == 8);
    const std::string error = build_error(chain(65), lg::builtin_nodes());
    CAPTURE(error.substr(0, 400));
    CHECK(error.find("child graphs nested deeper than 64 levels") != std::string::npos);
    CHECK(error.find("chain65_63.json") != std::string::npos);
  }

  TEST_CASE("bad configs name the field") {
    CHECK(build_error({{"type", "subgraph"}}).find("field 'graph': give either") !=
          std::string::npos);
    CHECK(build_error({{"type", "subgraph"}, {"graph", doubler}, {"file", "x.json"}})
              .find("field 'graph': give either") != std::string::npos);
    CHECK(
        build_error({{"type", "subgraph"}, {"graph", graph_of({{{"id", "a"}, {"type", "nope"}}})}})
            .find("field 'graph': invalid graph") != std::string::npos);
    CHECK(build_error({{"type", "subgraph"}, {"graph", doubler}, {"input", {{"x", "(("}}}})
              .find("field 'input.x'") != std::string::npos);
    CHECK(build_error({{"type", "subgraph"}, {"graph", doubler}, {"output", {{"n", "y"}}}})
              .find("field 'output.n': is a node id") != std::string::npos);
  }
}
