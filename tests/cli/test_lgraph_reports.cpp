// lgraph's reports: run --trace and --profile, validate, dot, profile (run as a process).

#include "lgraph_process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace {

using lg::test::contains;
using lg::test::graph;
using lg::test::lgraph;
using lg::test::order_input;
using lg::test::Outcome;
using lg::test::TempDir;
using Json = nlohmann::json;

}  // namespace

TEST_SUITE("lgraph") {
  TEST_CASE("run --trace and --profile") {
    TempDir dir;
    const std::string trace = (dir / "trace.json").string();
    const Outcome run = lgraph(
        {"run", graph("order_flow.json"), "--input", order_input, "--trace", trace, "--profile"});
    REQUIRE(run.exit_code == 0);
    CHECK(Json::parse(run.out)["validate"] == true);  // the profile goes to stderr only
    const Json events = Json::parse(lg::test::read_text(trace));
    CHECK(events["traceEvents"].is_array());
    CHECK(contains(events.dump(), "\"price\""));
    for (const char* part : {"validate", "price", "notify", "p99", "allocations", "context pool"}) {
      CHECK_MESSAGE(contains(run.err, part), part);
    }
    CHECK(contains(run.err, "(measured)"));

    // num() quotes the first 40 bytes of what it cannot read: 'x' and then 'é's put byte 40
    // inside a character; the message must stay text, and the trace must still be written.
    const std::string cut = dir.write("cut.json", R"j({"nodes": [
      {"id": "convert", "type": "compute", "set": {"n": "num(text)"}}]})j");
    std::string text = "x";
    for (int i = 0; i < 30; ++i) {
      text += "\xc3\xa9";
    }
    const std::string cut_trace = (dir / "cut_trace.json").string();
    const Outcome failed =
        lgraph({"run", cut, "--input", Json{{"text", text}}.dump(), "--trace", cut_trace});
    std::string quoted = "'x";  // 1 + 19 * 2 = 39 bytes: the 20th character does not fit
    for (int i = 0; i < 19; ++i) {
      quoted += "\xc3\xa9";
    }
    quoted += "...'";
    CHECK(failed.exit_code == 1);
    CHECK(contains(failed.err, "num cannot convert " + quoted + " to a number"));
    const Json cut_events = Json::parse(lg::test::read_text(cut_trace));  // valid UTF-8 JSON
    CHECK(contains(cut_events.dump(), quoted));

    const Outcome unwritable = lgraph({"run", graph("order_flow.json"), "--input", order_input,
                                       "--trace", (dir / "no/such/dir/t.json").string()});
    CHECK(unwritable.exit_code == 1);
    CHECK(contains(unwritable.err, "t.json"));
  }

  TEST_CASE("validate") {
    TempDir dir;
    const Outcome good = lgraph(
        {"validate", graph("order_flow.json"), graph("diamond.json"), graph("rust_shape.json")});
    CHECK(good.exit_code == 0);
    CHECK(good.err.empty());
    CHECK(good.out == fmt::format("{}: ok\n{}: ok\n{}: ok\n", graph("order_flow.json"),
                                  graph("diamond.json"), graph("rust_shape.json")));

    const std::string cycle = dir.write("cycle.json", R"({"nodes": [
      {"id": "p", "type": "rule", "condition": "true"}, {"id": "q", "type": "rule", "condition": "true"}],
      "edges": [{"from": "p", "to": "q"}, {"from": "q", "to": "p"}]})");
    const std::string unknown =
        dir.write("unknown.json", R"({"nodes": [{"id": "u", "type": "nope"}]})");
    const Outcome mixed = lgraph({"validate", cycle, graph("diamond.json"), unknown});
    CHECK(mixed.exit_code == 2);
    CHECK(mixed.out == fmt::format("{}: ok\n", graph("diamond.json")));
    const auto lines = mixed.err_lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].starts_with(cycle));
    CHECK(contains(lines[0], "cycle"));
    CHECK(lines[1].starts_with(unknown));
    CHECK(contains(lines[1], "'u'"));
  }

  TEST_CASE("dot") {
    const Outcome dot = lgraph({"dot", graph("order_flow.json")});
    REQUIRE(dot.exit_code == 0);
    CHECK(dot.err.empty());
    CHECK(dot.out.starts_with("digraph \"order_flow\" {"));
    CHECK(contains(dot.out, "\"price\" -> \"notify\";"));
    CHECK(contains(dot.out, "\"vip\" -> \"express\" [label=\"when vip\", style=dashed]"));
    CHECK(contains(dot.out, "validate\\n[rule]\\ncondition: order.total > 0 && order.items > 0"));
    CHECK(contains(dot.out, "notify\\n[delay]\\nms: 5"));

    TempDir dir;
    const std::string file = dir.write("quotes.json", R"({"nodes": [
      {"id": "say \"hi\"", "type": "rule", "condition": "name == \"a\\\\b\""},
      {"id": "b", "type": "rule", "condition": "true"}],
      "edges": [{"from": "say \"hi\"", "to": "b", "when": "name != \"x\""}]})");
    const Outcome quoted = lgraph({"dot", file});
    REQUIRE(quoted.exit_code == 0);
    CHECK(contains(quoted.out,
                   R"("say \"hi\"" [label="say \"hi\"\n[rule]\ncondition: name == \"a\\\\b\"")"));
    CHECK(contains(quoted.out, R"("say \"hi\"" -> "b" [label="when name != \"x\"")"));

    CHECK(lgraph({"dot", (dir / "missing.json").string()}).exit_code == 2);
  }

  TEST_CASE("profile" * doctest::timeout(60)) {
    const Outcome profile = lgraph({"profile", graph("diamond.json"), "--repeat", "200",
                                    "--concurrency", "8", "--threads", "2"});
    REQUIRE(profile.exit_code == 0);
    CHECK(profile.err.empty());  // stderr is a file, not a terminal: no progress bar
    for (const char* part :
         {"200 executions, 8 in flight, 2 threads", "throughput:", "p50", "p99", "max", "start",
          "left", "join", "end", "context pool: reuse", "per execution", "failed: 0"}) {
      CHECK_MESSAGE(contains(profile.out, part), part);
    }

    const Outcome failing = lgraph({"profile", graph("order_flow.json"), "--repeat", "5", "--input",
                                    R"({"order": {"total": "lots"}})"});
    CHECK(failing.exit_code == 1);
    CHECK(contains(failing.out, "failed: 5"));
    REQUIRE(failing.err_lines().size() == 1);
    CHECK(contains(failing.err, "node 'validate'"));
  }

  TEST_CASE("profile --trace: 1,000 executions with parallel waits open in DevTools' parser" *
            doctest::timeout(120)) {
    // Chrome DevTools' trace engine (tests/trace-viewer, installed by scripts/test.sh) drops a
    // slice that overlaps another on its track without nesting; check.mjs counts them.
    TempDir dir;
    const std::string trace = (dir / "trace.json").string();
    const Outcome profile = lgraph({"profile", graph("fan_out_waits.json"), "--repeat", "1000",
                                    "--concurrency", "64", "--threads", "2", "--trace", trace});
    REQUIRE(profile.exit_code == 0);
    const std::string checker = std::string(LG_SOURCE_DIR) + "/tests/trace-viewer/check.mjs";
    REQUIRE_MESSAGE(
        std::filesystem::exists(std::string(LG_SOURCE_DIR) + "/tests/trace-viewer/node_modules"),
        "the trace viewer is not installed: scripts/test.sh installs it");
    const Outcome viewer = lg::test::run_program("node", {checker, trace});
    INFO(viewer.out << viewer.err);
    CHECK(viewer.exit_code == 0);
    const Json report = Json::parse(viewer.out);
    CHECK(report["slices"] == 7000);  // 6 nodes and the execution, 1,000 times
    CHECK(report["dropped"] == 0);
  }
}
