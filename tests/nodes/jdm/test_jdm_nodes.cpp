// The JDM node kinds as ZEN evaluates them: expression nodes, decision tables, switches and the
// attributes they share (passThrough, inputField, outputPath, loop).

#include "nodes/jdm/jdm_builder.hpp"

#include <doctest/doctest.h>

using lg::test::Jdm;
using Json = nlohmann::json;

TEST_SUITE("jdm nodes") {
  TEST_CASE("an expression node: keys in order, $ for earlier ones, dotted keys nest") {
    Jdm model;
    model.input()
        .expression("calc", Json::array({{"sum", "a + b"},
                                         {"twice", "$.sum * 2"},
                                         {"deep.nested.value", "$.twice + 1"},
                                         {"", "ignored"},
                                         {"skipped", ""},
                                         {"sum_in_input", "sum ?? 'none'"}}))
        .output()
        .edge("in", "calc")
        .edge("calc", "out");
    CHECK(model.decide({{"a", 1}, {"b", 2}}) == Json{{"sum", 3},
                                                     {"twice", 6},
                                                     {"deep", {{"nested", {{"value", 7}}}}},
                                                     {"sum_in_input", "none"}});
  }

  TEST_CASE("numbers stay decimal from one key to the next, as in ZEN") {
    Jdm model;
    model.input()
        .expression("calc", Json::array({{"third", "1 / 3"},
                                         {"whole", "$.third * 3"},
                                         {"tenths", "0.1 + 0.2 == 0.3"}}))
        .edge("in", "calc");
    const Json result = model.decide(Json::object());
    CHECK(result["whole"] == 1);
    CHECK(result["tenths"] == true);
  }

  TEST_CASE("a failing expression fails the node, naming it and the key") {
    Jdm model;
    model.input().expression("calc", Json::array({{"bad", "'a' - 1"}})).edge("in", "calc");
    try {
      (void)model.decide(Json::object());
      FAIL("it evaluated");
    } catch (const lg::ExecutionError& e) {
      CHECK(e.node_id() == "calc");
      const std::string what = e.what();
      CHECK(what.find("expression node 'calc', key 'bad'") != std::string::npos);
      CHECK(what.find("'a' - 1") != std::string::npos);
    }
  }

  TEST_CASE("passThrough merges the result into the input, null deletes a key") {
    Jdm model;
    model.input()
        .expression("calc", Json::array({{"sum", "a + b"}, {"drop", "null"}}),
                    {{"passThrough", true}})
        .edge("in", "calc");
    CHECK(model.decide({{"a", 1}, {"b", 2}, {"drop", "x"}, {"keep", true}}) ==
          Json{{"a", 1}, {"b", 2}, {"sum", 3}, {"keep", true}});
  }

  TEST_CASE("inputField selects, outputPath places, passThrough keeps the whole input") {
    Jdm model;
    model.input()
        .expression(
            "calc", Json::array({{"total", "price * qty"}}),
            {{"inputField", "order"}, {"outputPath", "order.priced"}, {"passThrough", true}})
        .edge("in", "calc");
    CHECK(model.decide({{"order", {{"price", 2.5}, {"qty", 4}}}, {"id", 7}}) ==
          Json{{"id", 7}, {"order", {{"price", 2.5}, {"qty", 4}, {"priced", {{"total", 10}}}}}});
  }

  TEST_CASE("loop mode runs once per element, passThrough merges each element") {
    Jdm model;
    model.input()
        .expression("line", Json::array({{"total", "price * qty"}}),
                    {{"inputField", "lines"},
                     {"executionMode", "loop"},
                     {"outputPath", "lines"},
                     {"passThrough", true}})
        .edge("in", "line");
    CHECK(model.decide({{"lines", {{{"price", 2}, {"qty", 3}}, {{"price", 1}, {"qty", 1}}}}}) ==
          Json{{"lines",
                {{{"price", 2}, {"qty", 3}, {"total", 6}},
                 {{"price", 1}, {"qty", 1}, {"total", 1}}}}});
    // Not an array: an error naming what it found.
    CHECK_THROWS_WITH_AS(
        (void)model.decide({{"lines", 3}}),
        doctest::Contains("expression node 'line': loop: Expected an array, found number"),
        lg::ExecutionError);
  }

  TEST_CASE("a first-hit table: the first row that holds, empty cells match anything") {
    Jdm model;
    model.input()
        .table("price", "first", Json::array({{"c1", "tier"}, {"c2", "amount"}}),
               Json::array({{"o1", "discount"}, {"o2", "note.text"}}),
               Json::array({{{"c1", "'gold'"}, {"c2", "> 100"}, {"o1", "0.2"}, {"o2", "'big'"}},
                            {{"c1", "'gold', 'silver'"}, {"c2", ""}, {"o1", "0.1"}},
                            {{"c1", ""}, {"c2", "[0..10]"}, {"o1", "0"}, {"o2", "'small'"}}}))
        .edge("in", "price");
    CHECK(model.decide({{"tier", "gold"}, {"amount", 500}}) ==
          Json{{"discount", 0.2}, {"note", {{"text", "big"}}}});
    CHECK(model.decide({{"tier", "silver"}, {"amount", 500}}) == Json{{"discount", 0.1}});
    CHECK(model.decide({{"tier", "none"}, {"amount", 5}}) ==
          Json{{"discount", 0}, {"note", {{"text", "small"}}}});
    // No row holds: null, which adds nothing to the result.
    CHECK(model.decide({{"tier", "none"}, {"amount", 50}}) == Json::object());
  }

  TEST_CASE("a collect table lists every row that holds, in order, none gives []") {
    Jdm model;
    model.input()
        .table("checks", "collect", Json::array({{"c1", "age"}}), Json::array({{"o1", "flag"}}),
               Json::array({{{"c1", "< 18"}, {"o1", "'minor'"}},
                            {{"c1", "< 65"}, {"o1", "'working age'"}},
                            {{"c1", ""}, {"o1", "'any'"}}}))
        .output()
        .edge("in", "checks")
        .edge("checks", "out");
    CHECK(model.decide({{"age", 10}}) ==
          Json::array({{{"flag", "minor"}}, {{"flag", "working age"}}, {{"flag", "any"}}}));
    CHECK(model.decide({{"age", 70}}) == Json::array({{{"flag", "any"}}}));
  }

  TEST_CASE("table cells: '-' is no wildcard, a failing cell does not match, $ is the column") {
    Jdm model;
    model.input()
        .table("t", "first", Json::array({{"c1", "code"}, {"c2", "n"}}),
               Json::array({{"o1", "row"}}),
               Json::array({{{"c1", "-"}, {"o1", "'dash'"}},
                            {{"c2", "$ > 1 and $ < 10"}, {"o1", "'range'"}},
                            {{"c2", "> 'text'"}, {"o1", "'never'"}},
                            {{"c1", "'x'"}, {"o1", "1 + 'oops'"}},
                            {{"c1", "'x'"}, {"o1", "'after the failing output'"}}}))
        .edge("in", "t");
    CHECK(model.decide({{"code", "-"}, {"n", 5}}) == Json{{"row", "range"}});
    // An output cell that fails makes its row no match: the next row's output is taken.
    CHECK(model.decide({{"code", "x"}, {"n", 50}}) == Json{{"row", "after the failing output"}});
  }

  TEST_CASE("a first-hit table with field[] outputs collects them over every hit") {
    Jdm model;
    model.input()
        .table("t", "first", Json::array({{"c1", "n"}}),
               Json::array({{"o1", "label"}, {"o2", "tags[]"}}),
               Json::array({{{"c1", "> 0"}, {"o1", "'positive'"}, {"o2", "'p'"}},
                            {{"c1", "> 10"}, {"o1", "'large'"}, {"o2", "'l'"}},
                            {{"c1", "< 0"}, {"o1", "'negative'"}, {"o2", "'n'"}}}))
        .edge("in", "t");
    CHECK(model.decide({{"n", 20}}) == Json{{"label", "positive"}, {"tags", {"p", "l"}}});
    CHECK(model.decide({{"n", 0}}) == Json::object());
  }

  TEST_CASE("a table's config errors name the node and the field when the executor is built") {
    Jdm model;
    model.input()
        .table("t", "sometimes", Json::array(), Json::array(), Json::array())
        .edge("in", "t");
    CHECK_THROWS_WITH_AS(model.decide(Json::object()),
                         doctest::Contains("(id 't'): field 'content.hitPolicy'"), lg::GraphError);
  }

  TEST_CASE("a switch takes the branch of the first statement that holds") {
    Jdm model;
    model.input()
        .switch_node("route", "first",
                     Json::array({{"big", "amount > 100"}, {"small", "amount > 0"}, {"else", ""}}))
        .expression("b", Json::array({{"size", "'big'"}}))
        .expression("s", Json::array({{"size", "'small'"}}))
        .expression("e", Json::array({{"size", "'none'"}}))
        .edge("in", "route")
        .edge("route", "b", "big")
        .edge("route", "s", "small")
        .edge("route", "e", "else");
    CHECK(model.decide({{"amount", 500}}) == Json{{"size", "big"}});
    CHECK(model.decide({{"amount", 5}}) == Json{{"size", "small"}});
    CHECK(model.decide({{"amount", -5}}) == Json{{"size", "none"}});
    // A condition that fails (a string compared with a number) does not hold.
    CHECK(model.decide({{"amount", "n/a"}}) == Json{{"size", "none"}});
  }

  TEST_CASE("a collect switch takes every branch that holds, an empty condition always holds") {
    Jdm model;
    model.input()
        .switch_node("route", "collect",
                     Json::array({{"a", "x > 1"}, {"b", "x > 2"}, {"always", ""}}))
        .expression("na", Json::array({{"a", "true"}}))
        .expression("nb", Json::array({{"b", "true"}}))
        .expression("nc", Json::array({{"c", "true"}}))
        .edge("in", "route")
        .edge("route", "na", "a")
        .edge("route", "nb", "b")
        .edge("route", "nc", "always");
    CHECK(model.decide({{"x", 3}}) == Json{{"a", true}, {"b", true}, {"c", true}});
    CHECK(model.decide({{"x", 2}}) == Json{{"a", true}, {"c", true}});
  }

  TEST_CASE("two statements of a switch leading to one node, and an edge without a handle") {
    Jdm model;
    model.input()
        .switch_node("route", "first", Json::array({{"one", "x == 1"}, {"two", "x == 2"}}))
        .expression("hit", Json::array({{"hit", "x"}}))
        .expression("never", Json::array({{"never", "true"}}))
        .edge("in", "route")
        .edge("route", "hit", "one")
        .edge("route", "hit", "two")
        .edge("route", "never");
    CHECK(model.decide({{"x", 1}}) == Json{{"hit", 1}});
    CHECK(model.decide({{"x", 2}}) == Json{{"hit", 2}});
    // No branch: the switch loses its edges, and with them the nodes above it that lead only
    // there (the input node too): ZEN's result is then empty.
    CHECK(model.decide({{"x", 3}}) == Json::object());
  }

  TEST_CASE("what ZEN shares stays whole: an object merged into itself keeps its nulls") {
    // The switch's result is its input; ZEN merges the same object twice, which changes nothing.
    Jdm model;
    model.input()
        .switch_node("s", "first", Json::array({{"h", ""}}))
        .expression("j", Json::array({{"seen", "$root"}}))
        .edge("in", "s")
        .edge("s", "j", "h")
        .edge("in", "j");
    CHECK(model.decide({{"a", nullptr}, {"b", 1}}) == Json{{"seen", {{"a", nullptr}, {"b", 1}}}});
  }

  TEST_CASE("a dotted key below a value that is no object sets nothing, null included") {
    Jdm model;
    model.input()
        .expression("x", Json::array({{"x.a", "null"}, {"x.a.b", "1"}, {"y", "$.x"}}))
        .edge("in", "x");
    CHECK(model.decide(Json::object()) == Json{{"x", {{"a", nullptr}}}, {"y", {{"a", nullptr}}}});
  }

  TEST_CASE("cells are trimmed of Unicode spaces, as Rust trims: a no-break space is empty") {
    Jdm model;
    model.input()
        .table("t", "first", Json::array({{"c1", "n"}}), Json::array({{"o1", "hit"}}),
               Json::array({{{"c1", "\u00a0> 5\u3000"}, {"o1", "'big'"}},
                            {{"c1", "\u00a0"}, {"o1", "'any'"}}}))
        .edge("in", "t");
    CHECK(model.decide({{"n", 9}}) == Json{{"hit", "big"}});
    CHECK(model.decide({{"n", 1}}) == Json{{"hit", "any"}});
  }

  TEST_CASE("statements sharing an id: the edge is taken when any of them holds") {
    for (const char* hit : {"first", "collect"}) {
      CAPTURE(hit);
      Jdm model;
      model.input()
          .switch_node("s", hit, Json::array({{"a", "false"}, {"a", "true"}}))
          .expression("x", Json::array({{"x", "1"}}))
          .edge("in", "s")
          .edge("s", "x", "a");
      CHECK(model.decide(Json::object()) == Json{{"x", 1}});
    }
  }

  TEST_CASE("a branch not taken before a long chain removes it all, without deep recursion") {
    Jdm model;
    model.input()
        .switch_node("s", "first", Json::array({{"go", "false"}, {"stay", "true"}}))
        .expression("kept", Json::array({{"kept", "true"}}))
        .edge("in", "s")
        .edge("s", "kept", "stay")
        .edge("s", "c0", "go");
    constexpr int length = 20000;
    for (int i = 0; i < length; ++i) {
      model.node(fmt::format("c{}", i), "expressionNode", {{"expressions", Json::array()}});
      if (i > 0) {
        model.edge(fmt::format("c{}", i - 1), fmt::format("c{}", i));
      }
    }
    CHECK(model.decide(Json::object()) == Json{{"kept", true}});
  }

  TEST_CASE("config errors: paths too deep, malformed columns, reserved ids") {
    std::string deep = "a";
    for (int i = 0; i < 300; ++i) {
      deep += ".a";
    }
    Jdm keys;
    keys.input().expression("x", Json::array({{deep, "1"}})).edge("in", "x");
    CHECK_THROWS_WITH_AS((void)keys.decide(Json::object()),
                         doctest::Contains("a path of more than 256 segments"), lg::GraphError);
    Jdm columns;
    columns.input()
        .node("t", "decisionTableNode",
              {{"hitPolicy", "first"},
               {"inputs", {{{"id", "c"}, {"field", 5}}}},
               {"outputs", Json::array()},
               {"rules", Json::array()}})
        .edge("in", "t");
    CHECK_THROWS_WITH_AS((void)columns.decide(Json::object()),
                         doctest::Contains("field 'content.inputs[0].field': must be a string"),
                         lg::GraphError);
    Jdm reserved;
    reserved.input().expression("jdm_branch_0", Json::array()).edge("in", "jdm_branch_0");
    CHECK_THROWS_WITH_AS((void)reserved.graph(), doctest::Contains("is reserved"), lg::GraphError);
  }
}
