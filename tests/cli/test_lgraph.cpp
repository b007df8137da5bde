// Runs the built lgraph binary as a user would and checks exit codes, stdout and stderr.

#include "lgraph_process.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using lg::test::contains;
using lg::test::graph;
using lg::test::lgraph;
using lg::test::order_input;
using lg::test::Outcome;
using lg::test::TempDir;
using Json = nlohmann::json;

// `@FILE`, as --input takes a file.
std::string at_file(const std::string& file) {
  return fmt::format("@{}", file);
}

// Every stderr line is printable: binary garbage quoted in a message never reaches a terminal.
bool printable_lines(const Outcome& outcome) {
  return std::all_of(outcome.err.begin(), outcome.err.end(),
                     [](char c) { return c == '\n' || static_cast<unsigned char>(c) >= 0x20; });
}

}  // namespace

TEST_SUITE("lgraph") {
  TEST_CASE("version, help and argument errors") {
    const Outcome version = lgraph({"--version"});
    CHECK(version.exit_code == 0);
    // "lgraph X.Y.Z\n" (no std::regex: GCC 12 warns falsely inside it under ASan)
    const std::string_view text = version.out;
    CHECK(text.starts_with("lgraph "));
    CHECK(text.ends_with("\n"));
    CHECK(std::count(text.begin(), text.end(), '.') == 2);
    CHECK(text.find_first_not_of("0123456789.", 7) == text.size() - 1);

    for (const auto& args : std::vector<std::vector<std::string>>{
             {"help"}, {"--help"}, {"help", "run"}, {"run", "--help"}, {"profile", "--help"}}) {
      const Outcome help = lgraph(args);
      CHECK(help.exit_code == 0);
      CHECK(help.err.empty());
      CHECK(contains(help.out, "Usage"));
    }
    CHECK(contains(lgraph({"help"}).out, "validate"));
    CHECK(contains(lgraph({"help", "run"}).out, "--input"));
    CHECK(contains(lgraph({"profile", "--help"}).out, "--concurrency"));

    const Outcome nothing = lgraph({});
    CHECK(nothing.exit_code == 2);
    CHECK(contains(nothing.err, "a command is required"));

    const Outcome unknown_command = lgraph({"frobnicate"});
    CHECK(unknown_command.exit_code == 2);
    CHECK(contains(unknown_command.err, "unknown command 'frobnicate'"));

    const Outcome unknown_flag = lgraph({"run", graph("order_flow.json"), "--bogus"});
    CHECK(unknown_flag.exit_code == 2);
    CHECK(unknown_flag.out.empty());
    CHECK(unknown_flag.err_lines().size() == 1);
    CHECK(contains(unknown_flag.err, "--bogus"));

    CHECK(lgraph({"run"}).exit_code == 2);  // no graph
    CHECK(lgraph({"run", graph("order_flow.json"), "--threads", "x"}).exit_code == 2);
    CHECK(lgraph({"profile", graph("order_flow.json")}).exit_code == 2);  // no --repeat
    CHECK(lgraph({"profile", graph("order_flow.json"), "--repeat", "0"}).exit_code == 2);
    CHECK(lgraph({"help", "nope"}).exit_code == 2);
  }

  TEST_CASE("run prints the final context as one JSON object") {
    TempDir dir;
    SUBCASE("inline input, skipped nodes are absent") {
      const Outcome run = lgraph({"run", graph("order_flow.json"), "--input", order_input});
      REQUIRE(run.exit_code == 0);
      CHECK(run.err.empty());
      const Json out = Json::parse(run.out);
      CHECK(out["order"]["total"] == 120);
      CHECK(out["validate"] == true);
      CHECK(out["discount"] == 0.1);
      CHECK(out["final_total"] == 108.0);
      CHECK(out["price"]["final_total"] == 108.0);
      CHECK(out["vip"] == false);
      CHECK(out["notify"] == 5);
      CHECK_FALSE(out.contains("express"));  // its edge's `when vip` was false
      CHECK_FALSE(out.contains("express_shipping"));
    }
    SUBCASE("input from a file, pretty, one thread: the same values") {
      const std::string input = dir.write("in.json", R"({"order": {"total": 800, "items": 1}})");
      const Outcome run = lgraph({"run", graph("order_flow.json"), "--input", at_file(input),
                                  "--pretty", "--threads", "1"});
      REQUIRE(run.exit_code == 0);
      const Json out = Json::parse(run.out);
      CHECK(out["vip"] == true);
      CHECK(out["express"]["priority"] == 1);
      CHECK(out["express_shipping"] == true);
      CHECK(std::count(run.out.begin(), run.out.end(), '\n') > 5);
    }
    SUBCASE("input from stdin, a failed rule skips everything after it") {
      const std::string input = dir.write("in.json", R"({"order": {"total": 0, "items": 0}})");
      const Outcome run = lgraph({"run", graph("order_flow.json"), "--input", "@-"}, input);
      REQUIRE(run.exit_code == 0);
      const Json out = Json::parse(run.out);
      CHECK(out["validate"] == false);
      for (const char* skipped : {"price", "vip", "express", "notify", "discount"}) {
        CHECK_FALSE(out.contains(skipped));
      }
    }
    SUBCASE("every graph in graphs/ runs") {
      for (const auto& entry : std::filesystem::directory_iterator(lg::test::graphs_dir())) {
        if (entry.path().extension() != ".json" && entry.path().extension() != ".yaml") {
          continue;  // graphs/inputs/ holds sample inputs
        }
        CAPTURE(entry.path());
        // Its sample input when it has one (graphs/inputs/<name>.json), else an order.
        const auto sample =
            lg::test::graphs_dir() / "inputs" / entry.path().filename().replace_extension(".json");
        const std::string input =
            std::filesystem::exists(sample) ? fmt::format("@{}", sample.string()) : order_input;
        const Outcome run = lgraph({"run", entry.path().string(), "--input", input});
        CHECK(run.exit_code == 0);
        CHECK(Json::parse(run.out).is_object());
      }
    }
  }

  TEST_CASE("run: integers above 2^63 - 1 from the input stay exact") {
    TempDir dir;
    const std::string file = dir.write("unsigned.json", R"json({"nodes": [
      {"id": "same", "type": "rule", "condition": "a == b"},
      {"id": "calc", "type": "compute",
       "set": {"next": "b + 1", "back": "a - b", "in_list": "b in [a]", "top": "max(b, a)"}},
      {"id": "equal_path", "type": "rule", "condition": "true"}],
      "edges": [{"from": "same", "to": "equal_path", "when": "same"}]})json");
    const std::string input = R"({"a": 18446744073709551615, "b": 18446744073709551614})";
    const Outcome run = lgraph({"run", file, "--input", input});
    REQUIRE(run.exit_code == 0);
    CHECK(run.err.empty());
    const Json out = Json::parse(run.out);
    CHECK(out["same"] == false);
    CHECK_FALSE(out.contains("equal_path"));  // gated by `same`
    CHECK(out["next"].is_number_unsigned());
    CHECK(out["next"] == 18446744073709551615u);
    CHECK(out["top"] == 18446744073709551615u);
    CHECK(out["back"] == 1);
    CHECK(out["in_list"] == false);
    CHECK(contains(run.out, R"("next":18446744073709551615)"));

    const Outcome overflow = lgraph(
        {"run", file, "--input", R"({"a": 18446744073709551615, "b": 18446744073709551615})"});
    CHECK(overflow.exit_code == 1);
    REQUIRE(overflow.err_lines().size() == 1);
    CHECK(contains(overflow.err, "node 'calc'"));
    CHECK(contains(overflow.err, "at 2 in 'b + 1': integer overflow in '+'"));
  }

  TEST_CASE("run: a failing node is exit 1 with one line naming it") {
    const Outcome run =
        lgraph({"run", graph("order_flow.json"), "--input", R"({"order": {"total": "lots"}})"});
    CHECK(run.exit_code == 1);
    CHECK(run.out.empty());
    REQUIRE(run.err_lines().size() == 1);
    CHECK(contains(run.err, "node 'validate'"));
  }

  TEST_CASE("run: invalid graphs and inputs are exit 2 with every problem, one a line") {
    TempDir dir;
    SUBCASE("structural problems name the file and the node") {
      const std::string file = dir.write("bad.json", R"({"nodes": [
        {"id": "a", "type": "rule", "condition": "true"},
        {"id": "a", "type": "rule", "condition": "true"},
        {"id": "b", "type": "rule", "condition": "true"}],
        "edges": [{"from": "b", "to": "ghost"}, {"from": "a", "to": "b"}, {"from": "b", "to": "a"}]})");
      const Outcome run = lgraph({"run", file});
      CHECK(run.exit_code == 2);
      CHECK(run.out.empty());
      const auto lines = run.err_lines();
      CHECK(lines.size() >= 2);
      for (const std::string& line : lines) {
        CHECK(line.starts_with(file));
      }
      CHECK(contains(run.err, "'a'"));
      CHECK(contains(run.err, "ghost"));
    }
    SUBCASE("a YAML graph: its syntax errors and its nodes are named by line") {
      const std::string broken = dir.write("broken.yaml", "nodes:\n  - id: a\n   bad: x\n");
      const Outcome syntax = lgraph({"validate", broken});
      CHECK(syntax.exit_code == 2);
      CHECK(syntax.err == broken + ": line 3, column 4: invalid YAML: end of sequence not found\n");
      const std::string ghost =
          dir.write("ghost.yml", "nodes:\n  a: RuleNode\nedges:\n  - {from: a, to: ghost}\n");
      for (const std::vector<std::string>& command : {std::vector<std::string>{"run", ghost},
                                                      {"dot", ghost},
                                                      {"profile", ghost, "--repeat", "1"}}) {
        CAPTURE(command.front());
        const Outcome run = lgraph(command);
        CHECK(run.exit_code == 2);
        CHECK(run.err ==
              ghost + ": edges[0] (a -> ghost, line 4): field 'to': unknown node 'ghost'\n");
      }
    }
    SUBCASE("type, config and condition problems name the file and the node") {
      const std::string file = dir.write("types.json", R"({"nodes": [
        {"id": "x", "type": "teleport"},
        {"id": "y", "type": "delay", "ms": -3},
        {"id": "z", "type": "rule", "condition": "1 +"}],
        "edges": [{"from": "x", "to": "y", "when": "(("}]})");
      const Outcome run = lgraph({"run", file});
      CHECK(run.exit_code == 2);
      const auto lines = run.err_lines();
      CHECK(lines.size() == 4);
      for (const std::string& line : lines) {
        CHECK(line.starts_with(file));
      }
      CHECK(contains(run.err, "'x'"));
      CHECK(contains(run.err, "teleport"));
      CHECK(contains(run.err, "'y'"));
      CHECK(contains(run.err, "'z'"));
      CHECK(contains(run.err, "'when'"));
    }
    SUBCASE("a delay past its maximum is refused, not cut short by an overflow") {
      // 2^63 / 10^6 ms would overflow the timer's nanoseconds and return at once.
      const std::string file = dir.write("forever.json", R"({"nodes": [
        {"id": "wait", "type": "delay", "ms": 9223372036854}]})");
      const Outcome run = lgraph({"validate", file});
      CHECK(run.exit_code == 2);
      CHECK(run.err == file +
                           ": nodes[0] (id 'wait'): field 'ms': must be at most 31536000000 (a "
                           "year), found 9223372036854\n");
      const std::string year = dir.write("year.json", R"({"nodes": [
        {"id": "wait", "type": "delay", "ms": 31536000000}]})");
      CHECK(lgraph({"validate", year}).exit_code == 0);
    }
    SUBCASE("a misspelt top-level key is an error, not an ungated node") {
      const std::string file = dir.write("misspelt.json", R"({"nodes": [
        {"id": "a", "type": "rule", "condition": "true"},
        {"id": "b", "type": "rule", "condition": "true"}],
        "edge": [{"from": "a", "to": "b", "when": "false"}]})");
      for (const char* command : {"run", "validate"}) {
        CAPTURE(command);
        const Outcome outcome = lgraph({command, file});
        CHECK(outcome.exit_code == 2);
        CHECK(outcome.out.empty());
        REQUIRE(outcome.err_lines().size() == 1);
        CHECK(outcome.err ==
              file +
                  ": field 'edge': unknown; a graph has 'name', 'description', 'metadata' "
                  "(free, as 'description'), 'nodes', 'edges', 'input_key' and 'result'\n");
      }
    }
    SUBCASE("invalid input JSON names the place") {
      const Outcome inline_input = lgraph({"run", graph("order_flow.json"), "--input", "{\"a\":"});
      CHECK(inline_input.exit_code == 2);
      CHECK(inline_input.err_lines().size() == 1);
      CHECK(contains(inline_input.err, "--input"));
      CHECK(contains(inline_input.err, "line 1, column 6"));

      const std::string file = dir.write("in.json", "{\n  \"a\": [1, 2,, 3]\n}");
      const Outcome from_file = lgraph({"run", graph("order_flow.json"), "--input", at_file(file)});
      CHECK(from_file.exit_code == 2);
      CHECK(contains(from_file.err, file));
      CHECK(contains(from_file.err, "line 2"));

      const Outcome array = lgraph({"run", graph("order_flow.json"), "--input", "[1]"});
      CHECK(array.exit_code == 2);
      CHECK(contains(array.err, "must be a JSON object"));

      const Outcome missing = lgraph({"run", graph("order_flow.json"), "--input", "@/no/such"});
      CHECK(missing.exit_code == 2);
      CHECK(contains(missing.err, "/no/such"));
    }
  }

  TEST_CASE("no input crashes it" * doctest::timeout(120)) {
    TempDir dir;
    SUBCASE("an empty file") {
      const std::string empty = dir.write("empty.json", "");
      for (const char* command : {"run", "validate", "dot"}) {
        const Outcome outcome = lgraph({command, empty});
        CHECK(outcome.exit_code == 2);
        REQUIRE(outcome.err_lines().size() == 1);
        CHECK(outcome.err.starts_with(empty + ": line 1, column 1: invalid JSON"));
      }
      CHECK(lgraph({"run", graph("order_flow.json"), "--input", ""}).exit_code == 2);
    }
    SUBCASE("binary garbage") {
      std::string garbage(1 << 16, '\0');
      std::uint32_t state = 12345;
      for (char& c : garbage) {
        state = state * 1664525U + 1013904223U;  // any fixed byte soup will do
        c = static_cast<char>(state >> 24);
      }
      const std::string file = dir.write("garbage.json", garbage);
      for (const auto& args : std::vector<std::vector<std::string>>{
               {"run", file},
               {"validate", file},
               {"dot", file},
               {"profile", file, "-n", "3"},
               {"run", graph("order_flow.json"), "--input", at_file(file)}}) {
        const Outcome outcome = lgraph(args);
        CHECK(outcome.exit_code == 2);
        CHECK(outcome.err_lines().size() == 1);
        CHECK(contains(outcome.err, file));
        CHECK(printable_lines(outcome));
      }
    }
    SUBCASE("deep nesting is refused with its position, up to the limit is fine") {
      const std::string deep(100000, '[');
      const std::string graph_file = dir.write(
          "deep.json",
          fmt::format(
              R"({{"nodes": [{{"id": "a", "type": "rule", "condition": "true", "x": {}}}]}})",
              deep));
      const Outcome in_graph = lgraph({"validate", graph_file});
      CHECK(in_graph.exit_code == 2);
      CHECK(contains(in_graph.err, graph_file + ": line 1, column "));
      CHECK(contains(in_graph.err, "nested deeper than 1000 levels"));

      const std::string input_file =
          dir.write("deep_input.json", fmt::format(R"({{"a": {})", deep));
      const Outcome in_input =
          lgraph({"run", graph("order_flow.json"), "--input", at_file(input_file)});
      CHECK(in_input.exit_code == 2);
      CHECK(contains(in_input.err, "nested deeper than 1000 levels"));

      const std::string at_limit = fmt::format(
          R"({{"order": {{"total": 1, "items": 1}}, "a": {}{}, "text": "[[[[[[[[\"[[[[[[[[[[["}})",
          std::string(999, '['), std::string(999, ']'));
      const Outcome ok = lgraph({"run", graph("order_flow.json"), "--input", at_limit});
      CHECK(ok.exit_code == 0);
      CHECK(Json::parse(ok.out)["text"] == "[[[[[[[[\"[[[[[[[[[[[");
    }
    SUBCASE("a large JSON input (~20 MB) runs through") {
      std::string big = R"({"order": {"total": 120, "items": 2}, "blob": ")";
      big.append(std::size_t{16} << 20, 'x');  // strings parse fastest: a quick test
      big += R"(", "records": [)";
      const std::string record = R"({"id": 12345, "name": "abcdefghij", "tags": ["x", "y"]},)";
      while (big.size() < (std::size_t{20} << 20)) {
        big += record;
      }
      big += "{}]}";
      const Outcome run =
          lgraph({"run", graph("order_flow.json"), "--input", at_file(dir.write("big.json", big))});
      CHECK(run.exit_code == 0);
      CHECK(run.err.empty());
      CHECK(run.out.size() > (std::size_t{18} << 20));
      CHECK(contains(run.out, R"("validate":true)"));
      CHECK(run.out.ends_with("}\n"));
    }
    SUBCASE("a 100,000-node graph validates and runs") {
      constexpr int nodes = 100'000;
      std::string text = R"({"name": "long", "nodes": [)";
      for (int i = 0; i < nodes; ++i) {
        text += fmt::format(R"({}{{"id":"n{}","type":"rule","condition":"true"}})",
                            i == 0 ? "" : ",", i);
      }
      text += R"(], "edges": [)";
      for (int i = 1; i < nodes; ++i) {
        text += fmt::format(R"({}{{"from":"n{}","to":"n{}"}})", i == 1 ? "" : ",", i - 1, i);
      }
      text += "]}";
      const Outcome run = lgraph({"run", dir.write("long.json", text)});
      REQUIRE(run.exit_code == 0);
      const Json out = Json::parse(run.out);
      CHECK(out.size() == nodes);
      CHECK(out["n99999"] == true);
    }
    SUBCASE("a directory, a missing file") {
      CHECK(contains(lgraph({"run", lg::test::graphs_dir().string()}).err, "directory"));
      const Outcome missing = lgraph({"validate", (dir / "missing.json").string()});
      CHECK(missing.exit_code == 2);
      CHECK(contains(missing.err, "missing.json"));
    }
  }
}
