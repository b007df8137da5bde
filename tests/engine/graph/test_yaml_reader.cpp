// Graphs written in YAML: read into the same model as JSON (YAML 1.2's core schema for scalars),
// with errors naming line and column, and bounded against deep nesting and alias bombs.

#include <logic_graph/engine/graph/graph_def.hpp>

#include "engine/graph/graph_problems.hpp"
#include "graph/yaml_text.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <string_view>

using lg::GraphDef;
using lg::GraphFormat;
using lg::test::has;
using lg::test::problems_of;
using lg::test::yaml;
using Json = nlohmann::json;

namespace {

std::vector<lg::Diagnostic> yaml_problems(std::string_view text) {
  return problems_of([&] { (void)yaml(text); });
}

// The one problem of a YAML text that has exactly one.
lg::Diagnostic only_yaml_problem(std::string_view text) {
  const auto problems = yaml_problems(text);
  REQUIRE(problems.size() == 1);
  return problems.front();
}

// The value YAML text gives, as the config field `v` of a node.
Json value_of(std::string_view scalar) {
  const GraphDef graph =
      yaml(std::string("nodes:\n  - id: n\n    type: rule\n    v: ") + std::string(scalar) + "\n");
  return graph.nodes.at(0).config.at("v");
}

}  // namespace

TEST_SUITE("graph yaml") {
  TEST_CASE("the design's example in YAML reads as its JSON does") {
    const GraphDef from_yaml = yaml(R"(# the design's example
name: order_flow
nodes:
  - id: validate
    type: rule
    condition: order.total > 0 && order.items > 0
  - {id: price, type: compute, set: {discount: "order.total >= 100 ? 0.1 : 0.0"}}
  - id: notify
    type: delay
    ms: 5
edges:
  - {from: validate, to: price, when: validate}
  - from: price
    to: notify
)");
    const GraphDef from_json = GraphDef::parse(lg::test::design_example);
    CHECK(from_yaml.to_json() == from_json.to_json());
    CHECK(from_yaml.source == "g.yaml");
    // Written back as JSON, it reads again unchanged.
    CHECK(GraphDef::parse(from_yaml.to_json().dump()).to_json() == from_json.to_json());
  }

  TEST_CASE("scalars are typed as YAML 1.2's core schema types them") {
    CHECK(value_of("~").is_null());
    CHECK(value_of("null").is_null());
    CHECK(value_of("").is_null());
    CHECK(value_of("true") == true);
    CHECK(value_of("False") == false);
    CHECK(value_of("yes") == "yes");  // YAML 1.1's booleans are strings in 1.2
    CHECK(value_of("on") == "on");
    CHECK(value_of("42").is_number_unsigned());  // as nlohmann's JSON parser reads it
    CHECK(value_of("42") == 42);
    CHECK(value_of("+42") == 42);
    CHECK(value_of("-7").is_number_integer());
    CHECK(value_of("-7") == -7);
    CHECK(value_of("007") == 7);  // decimal in 1.2, not octal
    CHECK(value_of("0o17") == 15);
    CHECK(value_of("0x1F") == 31);
    CHECK(value_of("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
    CHECK(value_of("18446744073709551615") == std::numeric_limits<std::uint64_t>::max());
    CHECK(value_of("18446744073709551616").is_number_float());  // beyond 64 bits, as in JSON
    CHECK(value_of("1.5") == 1.5);
    CHECK(value_of(".5") == 0.5);
    CHECK(value_of("1e3").is_number_float());
    CHECK(value_of("-2.5E-1") == -0.25);
    CHECK(value_of("0x") == "0x");
    CHECK(value_of("1_000") == "1_000");
    CHECK(value_of("'42'") == "42");  // quoted scalars stay strings
    CHECK(value_of("\"true\"") == "true");
    CHECK(value_of("\"null\"") == "null");
    CHECK(value_of("!!str 5") == "5");
    CHECK(value_of("!!float 1").is_number_float());
    CHECK(value_of("!!int 0x10") == 16);
    CHECK(value_of("! 12") == "12");
    CHECK(value_of("\"caf\\u00e9 \\t\"") == "caf\xc3\xa9 \t");
    CHECK(value_of("|\n      two\n      lines") == "two\nlines\n");
    CHECK(value_of(">-\n      folded\n      text") == "folded text");
    CHECK(value_of("[1, two, {three: 3}]") == Json::parse(R"([1, "two", {"three": 3}])"));
    CHECK(value_of("{}") == Json::object());
    CHECK(value_of("{1: a, null: b, true: c}") ==
          Json{{"1", "a"}, {"null", "b"}, {"true", "c"}});  // keys keep their text
  }

  TEST_CASE("a scalar with no JSON value, or an unknown tag, is refused at its place") {
    lg::Diagnostic d = only_yaml_problem("nodes: [.inf]");
    CHECK(d.where == "g.yaml: line 1, column 9");
    CHECK(d.message == "'.inf' has no JSON equivalent (JSON has no infinity or NaN)");
    CHECK(only_yaml_problem("nodes: [-.Inf]").message.find("infinity") != std::string::npos);
    CHECK(only_yaml_problem("nodes: [.nan]").message.find("NaN") != std::string::npos);
    d = only_yaml_problem("nodes:\n  - 1e999\n");
    CHECK(d.where == "g.yaml: line 2, column 5");
    CHECK(d.message == "the number 1e999 is out of range");
    CHECK(only_yaml_problem("nodes: [0xFFFFFFFFFFFFFFFFF]").message ==
          "the integer 0xFFFFFFFFFFFFFFFFF is out of range (at most 64 bits)");
    CHECK(only_yaml_problem("nodes: [!!int x]").message == "'x' is not a value of the tag !!int");
    CHECK(only_yaml_problem("nodes: [!!bool 1]").message == "'1' is not a value of the tag !!bool");
    d = only_yaml_problem("nodes: [!custom x]");
    CHECK(d.where == "g.yaml: line 1, column 9");
    CHECK(d.message.starts_with("the tag '!custom' is not supported"));
    CHECK(only_yaml_problem("nodes: [!!binary aGk=]")
              .message.starts_with("the tag 'tag:yaml.org,2002:binary' is not supported"));
    CHECK(only_yaml_problem("nodes: !!set {a}").message ==
          "the tag 'tag:yaml.org,2002:set' is not supported on a mapping");
  }

  TEST_CASE("invalid YAML names line and column") {
    lg::Diagnostic d = only_yaml_problem("nodes:\n  - id: a\n    type: rule\n   bad: x\n");
    CHECK(d.where == "g.yaml: line 4, column 4");
    CHECK(d.message == "invalid YAML: end of sequence not found");
    d = only_yaml_problem("nodes: [\n  {id: a, type: rule\n");
    CHECK(d.where == "g.yaml: line 3, column 1");
    CHECK(d.message == "invalid YAML: end of map flow not found");
    d = only_yaml_problem("nodes: *nowhere\n");
    CHECK(d.where == "g.yaml: line 1, column 8");
    CHECK(d.message == "invalid YAML: the referenced anchor is not defined");
    // Columns count characters, as for JSON.
    d = only_yaml_problem("name: \"\xc3\xa9t\xc3\xa9\"\nnodes: [x, y\n");
    CHECK(d.where.starts_with("g.yaml: line 3, column 1"));
  }

  TEST_CASE("one document of UTF-8 text, an empty one is no graph") {
    lg::Diagnostic d = only_yaml_problem("nodes: []\n---\nnodes: []\n");
    CHECK(d.where == "g.yaml: line 2, column 1");
    CHECK(d.message == "a graph file holds one YAML document, and a second one starts here");
    CHECK(only_yaml_problem("").message == "a graph must be a JSON object, got null");
    CHECK(only_yaml_problem("# only a comment\n").message ==
          "a graph must be a JSON object, got null");
    d = only_yaml_problem(std::string_view("nodes: []\nx: \0\n", 15));
    CHECK(d.where == "g.yaml: line 2, column 4");
    CHECK(d.message == "a NUL byte: a YAML graph must be UTF-8 text");
    CHECK(only_yaml_problem("\xff\xfen\0o\0").message ==
          "a YAML graph must be UTF-8, and this is UTF-16");
    d = only_yaml_problem("nodes: []\nname: \"bad \xff byte\"\n");
    CHECK(d.where == "g.yaml: line 2, column 7");
    CHECK(d.message == "the text is not valid UTF-8");
    CHECK(only_yaml_problem("nodes: []\nname: \"\\ud800\"\n").message ==
          "invalid YAML: invalid unicode: 55296");  // a lone surrogate, escaped
    // A byte order mark is fine, and places still count from the text's start.
    CHECK(only_yaml_problem("\xef\xbb\xbfnodes: [x\n").where == "g.yaml: line 2, column 1");
  }

  TEST_CASE("duplicate keys are errors, each with the first's place") {
    const auto problems = yaml_problems(R"(nodes:
  - id: a
    type: rule
    condition: "true"
    condition: "false"
edges: []
edges: []
)");
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].where == "g.yaml: line 5, column 5");
    CHECK(problems[0].message ==
          "duplicate key 'condition', already at line 4, column 5 (YAML keys are unique)");
    CHECK(problems[1].where == "g.yaml: line 7, column 1");
    CHECK(has(yaml_problems("nodes:\n  a: RuleNode\n  a: AINode\n"), "g.yaml: line 3, column 3",
              "duplicate key 'a', already at line 2, column 3"));
  }

  TEST_CASE("a key must be a scalar") {
    lg::Diagnostic d = only_yaml_problem("nodes: []\n? [a, b]\n: c\n");
    CHECK(d.where == "g.yaml: line 2, column 3");
    CHECK(d.message == "a key must be a scalar, not a sequence");
    CHECK(only_yaml_problem("nodes: []\nx: {? {a: 1}: 2}\n").message ==
          "a key must be a scalar, not a mapping");
    CHECK(only_yaml_problem("a: &k [1]\n*k : 2\nnodes: []\n").message ==
          "the alias *k names a collection, and a key must be a scalar");
  }

  TEST_CASE("anchors and aliases copy values, within bounds") {
    const GraphDef graph = yaml(R"(nodes:
  - &check {id: a, type: rule, condition: &cond "x > 1"}
  - {id: b, type: rule, condition: *cond}
edges:
  - {from: a, to: b, when: *cond}
)");
    CHECK(graph.nodes[1].config["condition"] == "x > 1");
    CHECK(graph.edges[0].when == "x > 1");

    // A billion laughs: nine levels of nine aliases each would copy 9^9 strings.
    std::string laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (char level = 'b'; level <= 'i'; ++level) {
      const char before = static_cast<char>(level - 1);
      laughs += fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n",
                            level, before);
    }
    laughs += "nodes: []\n";
    const lg::Diagnostic d = only_yaml_problem(laughs);
    CHECK(d.where.starts_with("g.yaml: line "));
    CHECK(d.message == "aliases copy more than 16 MiB of values (a \"billion laughs\"?)");
    // One big string copied many times counts its bytes.
    std::string wide = "big: &big \"" + std::string(1 << 20, 'x') + "\"\ncopies: [";
    for (int i = 0; i < 40; ++i) {
      wide += "*big, ";
    }
    wide += "]\nnodes: []\n";
    CHECK(only_yaml_problem(wide).message.starts_with("aliases copy more than 16 MiB"));

    lg::Diagnostic self = only_yaml_problem("nodes: &loop [*loop]\n");
    CHECK(self.where == "g.yaml: line 1, column 15");
    CHECK(self.message == "the alias *loop is inside the node it names (a recursive alias)");
  }

  TEST_CASE("nesting deeper than the limit is refused while parsing, aliases included") {
    for (const std::size_t depth : {std::size_t{257}, std::size_t{100'000}}) {
      const std::string deep = "nodes: " + std::string(depth, '[') + std::string(depth, ']');
      const lg::Diagnostic d = only_yaml_problem(deep);
      CHECK(d.where == "g.yaml: line 1, column 263");  // the 257th level: `nodes` is the first
      CHECK(d.message == "YAML nested deeper than 256 levels");
    }
    std::string block = "nodes:\n";
    for (int level = 0; level < 300; ++level) {
      block += std::string(static_cast<std::size_t>(level) + 2, ' ') + "- \n";
    }
    CHECK(only_yaml_problem(block).message == "YAML nested deeper than 256 levels");
    // 200 levels under an anchor, copied 100 levels down: 300 in all.
    const std::string aliased = "a: &deep " + std::string(200, '[') + std::string(200, ']') +
                                "\nnodes: " + std::string(100, '[') + "*deep" +
                                std::string(100, ']');
    CHECK(only_yaml_problem(aliased).message ==
          "the alias *deep nests its value deeper than 256 levels");
  }

  TEST_CASE("places name the lines of nodes and edges") {
    auto problems = yaml_problems(R"(nodes:
  - id: a
    type: rule
    condition: "true"
  - id: a
    type: rule
    condition: "true"
  - type: rule
edges:
  - {from: a, to: ghost}
)");
    CHECK(has(problems, "g.yaml: nodes[1] (id 'a', line 5)",
              "duplicate id 'a', already used by nodes[0] (id 'a', line 2)"));
    CHECK(has(problems, "g.yaml: nodes[2] (line 8): field 'id'", "missing"));
    CHECK(has(problems, "g.yaml: edges[0] (a -> ghost, line 10): field 'to'",
              "unknown node 'ghost'"));
    problems = yaml_problems(
        "nodes:\n  a: RuleNode\n  b: RuleNode\nedges:\n"
        "  - {from: a, to: b}\n  - {from: b, to: a}\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].where == "g.yaml: nodes['a'] (line 2)");
    CHECK(problems[0].message == "cycle: a -> b -> a");
  }

  TEST_CASE("load() reads .yaml and .yml files as YAML, others as JSON") {
    CHECK(lg::graph_format_of("flow.yaml") == GraphFormat::yaml);
    CHECK(lg::graph_format_of("dir.json/flow.YML") == GraphFormat::yaml);
    CHECK(lg::graph_format_of("flow.json") == GraphFormat::json);
    CHECK(lg::graph_format_of("yaml") == GraphFormat::json);
    lg::test::TempDir dir;
    std::ofstream(dir / "flow.yml") << "nodes:\n  only: RuleNode\n";
    CHECK(GraphDef::load(dir / "flow.yml").find_node("only")->type == "rule");
    std::ofstream(dir / "flow.json") << "nodes:\n  only: RuleNode\n";
    CHECK(problems_of([&] { (void)GraphDef::load(dir / "flow.json"); })
              .at(0)
              .message.starts_with("invalid JSON"));
    std::ofstream(dir / "bad.yaml") << "nodes: [a\n";
    CHECK(problems_of([&] { (void)GraphDef::load(dir / "bad.yaml"); }).at(0).where ==
          (dir / "bad.yaml").string() + ": line 2, column 1");
  }

  TEST_CASE("the lines of top-level entries, as the reader gets them") {
    lg::detail::YamlLines lines;
    const Json json = lg::detail::parse_yaml_text(
        "nodes:\n  - a\n\n  - b\nedges:\n  x: 1\n  y: [2]\nname: n\n", "g.yaml", &lines);
    CHECK(json == Json{{"nodes", {"a", "b"}}, {"edges", {{"x", 1}, {"y", {2}}}}, {"name", "n"}});
    CHECK(lines.top["nodes"].items == std::vector<std::size_t>{2, 4});
    CHECK(lines.top["edges"].keys ==
          std::map<std::string, std::size_t, std::less<>>{{"x", 6}, {"y", 7}});
    CHECK_FALSE(lines.top.contains("name"));
  }
}
