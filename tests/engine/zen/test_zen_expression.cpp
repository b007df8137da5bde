// ZEN's expression language: our own cases in ZEN's CSV format (data/*.csv), the errors, the
// limits that keep a hostile expression from exhausting memory or time, and sharing.

#include "support/execution_failure.hpp"
#include "support/zen_cases.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/zen_expression.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Json = nlohmann::json;
using lg::test::has;
using ZenExpression = lg::zen::Expression;
using lg::zen::Mode;

std::string data_file(const std::string& name) {
  const std::string path = fmt::format("{}/tests/engine/zen/data/{}", LG_SOURCE_DIR, name);
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t run_cases(const std::string& name, Mode mode) {
  const auto cases = lg::test::read_zen_cases(data_file(name));
  for (const auto& c : cases) {
    INFO(name << ":" << c.line << ": " << c.expression << "  input " << c.input.dump());
    Json got;
    CHECK_NOTHROW(got = ZenExpression::parse(c.expression, mode).evaluate(c.input));
    CHECK_MESSAGE(lg::test::zen_equal(got, c.expected),
                  "expected " << c.expected.dump() << ", got " << got.dump());
  }
  return cases.size();
}

// The error of evaluating `text`, or "" when there is none.
std::string error_of(const std::string& text, const Json& input = Json::object(),
                     Mode mode = Mode::standard) {
  try {
    (void)ZenExpression::parse(text, mode).evaluate(input);
  } catch (const lg::ExpressionError& e) {
    return fmt::format("{}|{}", e.position(), e.what());
  }
  return "";
}

}  // namespace

TEST_SUITE("zen expression") {
  TEST_CASE("our standard cases evaluate as ZEN's") {
    CHECK(run_cases("standard.csv", Mode::standard) > 150);
  }

  TEST_CASE("our unary cases evaluate as ZEN's") {
    CHECK(run_cases("unary.csv", Mode::unary) > 30);
  }

  TEST_CASE("our date cases evaluate as ZEN's, dates without a zone in UTC") {
    lg::zen::set_default_time_zone("UTC");
    CHECK(run_cases("date.csv", Mode::standard) > 70);
    CHECK_THROWS_AS(lg::zen::set_default_time_zone("Mars/Olympus"), std::invalid_argument);
  }

  TEST_CASE("now can be pinned, and the default zone chosen") {
    const auto at = lg::zen::parse_instant("2024-06-30T23:30:00-02:00");
    REQUIRE(at.has_value());
    lg::zen::pin_now(*at);
    CHECK(ZenExpression::parse("d()").evaluate({}) == "2024-07-01T01:30:00Z");
    CHECK(ZenExpression::parse("d().isToday() and d('2024-07-01').isToday()").evaluate({}) == true);
    CHECK(ZenExpression::parse("d('2024-06-30').isYesterday()").evaluate({}) == true);
    CHECK(ZenExpression::parse("d('Asia/Tokyo')").evaluate({}) == "2024-07-01T10:30:00+09:00");
    lg::zen::set_default_time_zone("America/Sao_Paulo");
    CHECK(ZenExpression::parse("d()").evaluate({}) == "2024-06-30T22:30:00-03:00");
    CHECK(ZenExpression::parse("d('2024-07-01')").evaluate({}) == "2024-07-01T00:00:00-03:00");
    lg::zen::set_default_time_zone("UTC");
    lg::zen::pin_now(std::nullopt);
    CHECK(ZenExpression::parse("d().year() >= 2026").evaluate({}) == true);
    CHECK_FALSE(lg::zen::parse_instant("2024-13-01").has_value());
  }

  TEST_CASE("the CSV reader follows ZEN's: quoted fields, skipped comments and short records") {
    const auto cases = lg::test::read_zen_cases(
        "expression;input;output\n"
        "# a comment;;1\n"
        "\"a = 1; \"\"b\"\"\";{x: 'y',};{a: 1}\n"
        "only two;fields\n"
        "\n"
        "1 + 1;; 2 // two\n");
    REQUIRE(cases.size() == 2);
    CHECK(cases[0].line == 3);
    CHECK(cases[0].expression == "a = 1; \"b\"");
    CHECK(cases[0].input == Json{{"x", "y"}});
    CHECK(cases[1].expected == 2);
    CHECK_THROWS_WITH_AS((void)lg::test::read_zen_cases("h;h;h\n1;;{a:}\n"),
                         doctest::Contains("line 2"), std::invalid_argument);
  }

  TEST_CASE("ZEN's type errors are errors that name the place") {
    CHECK(
        has(error_of("'x' + 1"), "4|at 4 in ''x' + 1': '+' needs numbers, not string and number"));
    CHECK(has(error_of("null + 1"), "'+' needs numbers, not null and number"));
    CHECK(has(error_of("10 > '5'"), "a comparison needs numbers, not number and string"));
    CHECK(has(error_of("1 and true"), "'and' needs a bool on its left, not number"));
    CHECK(has(error_of("not 1"), "'not' needs a bool"));
    CHECK(has(error_of("1 ? 2 : 3"), "the condition of '?' must be a bool"));
    CHECK(has(error_of("'a' in 'abc'"), "'in' cannot look for string in string"));
    CHECK(has(error_of("map(5, #)"), "a closure function needs an array, not number"));
    CHECK(has(error_of("filter([1], #)"), "the closure must give a bool, not number"));
    CHECK(has(error_of("`${[1]}`"), "a template part: cannot convert array to a string"));
    CHECK(has(error_of("len(5)"), "len(): takes a string or an array, not number"));
    CHECK(has(error_of("number('x1')"), "number(): 'x1' is not a number"));
    CHECK(has(error_of("date('15/10/2023')"), "date(): '15/10/2023' is not a date"));
    CHECK(has(error_of("matches('a', '(')"), "bad regular expression '('"));
    CHECK(has(error_of("#"), "'#' is only defined inside a closure"));
    CHECK(has(error_of("'x'.year()"), "string has no method 'year'"));
    CHECK(has(error_of("d().fly()"), "dates have no method 'fly'"));
    CHECK(has(error_of("d().add(1)"), "add(): takes a duration such as '1d 5h'"));
    CHECK(has(error_of("d().add('3 fortnights')"), "'3 fortnights' is not a duration"));
    CHECK(has(error_of("d().startOf('decade')"), "must be a unit such as 'day'"));
    CHECK(has(error_of("d('2024-01-01', 'Nowhere/City')"), "unknown time zone 'Nowhere/City'"));
    CHECK(has(error_of("d().tz(1)"), "must name a time zone"));
    CHECK(has(error_of("d('x') < d()"), "cannot compare an invalid date"));
    CHECK(has(error_of("[d()..1]"), "an interval needs two numbers or two dates"));
    CHECK(has(error_of("max([])"), "max(): the array is empty"));
    CHECK(has(error_of("endOf(8639999999999, 'y')"), "endOf(): the date is out of range"));
    CHECK(has(error_of("startOf(0, 'quarter')"), "startOf(): unknown unit 'quarter'"));
    CHECK(has(error_of("len({})"), "len(): takes a string or an array, not object"));
  }

  TEST_CASE("syntax errors are refused at parse time with their position") {
    CHECK(has(error_of("1 +"), "3|at 3 in '1 +': unexpected end of expression"));
    CHECK(has(error_of("foo(1)"), "0|at 0 in 'foo(1)': unknown function 'foo'"));
    CHECK(has(error_of("round()"), "round() takes 1 to 2 arguments, not 0"));
    CHECK(has(error_of("len(1, 2)"), "len() takes 1 argument(s), not 2"));
    CHECK(has(error_of("'open"), "0|at 0 in ''open': unterminated string"));
    CHECK(has(error_of("[1..2"), "expected ']' or ')' to close the interval"));
    CHECK(has(error_of("1 2"), "2|at 2 in '1 2': unexpected '2'"));
    CHECK(has(error_of("a ~ b"), "unexpected character '~'"));
    CHECK(has(error_of("`a ${1 +}`"), "8|"));  // inside the template, at its own place
    CHECK(has(error_of("1 = 2"), "the left side of '=' must be a name or a dotted path"));
    CHECK(has(error_of("1; 2"), "only assignments may be separated by ';'"));
    CHECK(has(error_of("> 1 ;", Json::object(), Mode::unary), "unexpected ';' between unary"));
  }

  TEST_CASE("overflow is an error, division by zero is null") {
    CHECK(has(error_of("79228162514264337593543950335 + 1"), "number overflow"));
    CHECK(has(error_of("10 ^ 40"), "number overflow"));
    CHECK(has(error_of("79228162514264337593543950336"), "is out of range"));
    CHECK(ZenExpression::parse("1 / 0").evaluate({}).is_null());
    CHECK(ZenExpression::parse("1 % 0").evaluate({}).is_null());
  }

  TEST_CASE("deep or long expressions are refused, not a stack overflow") {
    std::string sum = "1";
    std::string path = "a";
    std::string parens;
    for (int i = 0; i < 5000; ++i) {
      sum += "+1";
      path += ".b";
      parens += "(";
    }
    CHECK(has(error_of(sum), "expression nested deeper than 200 levels"));
    CHECK(has(error_of(path), "expression nested deeper than 200 levels"));
    CHECK(has(error_of(parens + "1"), "expression nested deeper than 200 levels"));
    CHECK(has(error_of(std::string(2 << 20, ' ')), "expression longer than"));
  }

  TEST_CASE("what an evaluation builds is bounded: size, depth and work") {
    std::string nest;
    for (int i = 0; i < 300; ++i) {
      nest += fmt::format("a{} = [a{}]; ", i + 1, i);
    }
    CHECK(has(error_of(nest + "a300"), "arrays and objects nested deeper than 256 levels"));
    CHECK(has(error_of("map([0..999999], map([0..99], #))"), "took more than 5000000 steps"));
    CHECK(has(error_of("count([0..999999], # > 0 and # > 1 and # > 2)"),
              "evaluation took more than 5000000 steps"));
    CHECK(has(error_of("map([0..9999999], #)"), "the interval is too large to iterate"));
    const Json big{{"s", std::string(1 << 20, 'x')}};
    CHECK(has(error_of("map([0..999], s + s)", big), "built more than"));
    CHECK(has(error_of("matches(s, '(a|a)*b')", Json{{"s", std::string(40, 'a')}}),
              "regular expression '(a|a)*b'"));
    // Intervals at the ends of int64, iterated: refused, no overflow.
    CHECK(has(error_of("count([-9223372036854775807..9223372036854775807], true)"),
              "the interval is too large to iterate"));
    CHECK(error_of("map([9223372036854775800..9223372036854775807], #)").empty());
    // Walking elements counts as work even when the closure stops at the first.
    CHECK(has(error_of("map([0..999999], some([0..999999], true))"), "steps"));
    // Values checked before they are built, not after.
    const Json s16{{"s", std::string(std::size_t{16} << 20, 'x')}};
    CHECK(has(error_of("`${s}${s}`", s16), "a template longer than 16777216 bytes"));
    CHECK(has(error_of("a = map([0..999], 0); len(flatMap([0..999999], a))"),
              "flatMap(): more than 4194304 elements"));
    CHECK(has(error_of("fuzzyMatch(s, s)", s16), "compares strings of at most 4096 bytes"));
    CHECK(ZenExpression::parse("mode(map([0..999998], # % 7))").evaluate({}) == 6);  // all tied
    // A deep input is refused before its conversion recurses.
    Json deep = Json::array();
    for (int i = 0; i < 100000; ++i) {
      deep = Json::array({std::move(deep)});
    }
    Json input = Json::object();
    input["x"] = std::move(deep);
    CHECK(has(error_of("1", input), "the input is too large"));
    // A literal too large for the decimal range is refused, never cut.
    CHECK(has(error_of("340282366920938463463374607431768211457e1"), "is out of range"));
  }

  TEST_CASE("assignments bind for later statements and return what they assigned") {
    CHECK(ZenExpression::parse("a.b = 1; a.c = a.b + 1").evaluate({}) ==
          Json{{"a", {{"b", 1}, {"c", 2}}}});
    CHECK(ZenExpression::parse("x = x + 1; x").evaluate({{"x", 1}}) == 2);
    CHECK(ZenExpression::parse("$root").evaluate({{"k", "v"}}) == Json{{"k", "v"}});
  }

  TEST_CASE("the expression keeps its text and mode") {
    const auto e = ZenExpression::parse(" > 3", Mode::unary);
    CHECK(e.text() == " > 3");
    CHECK(e.mode() == Mode::unary);
  }

  TEST_CASE("one parsed expression is evaluated from several threads at once") {
    const auto e = ZenExpression::parse("sum(map(items, #.price * #.qty)) + len(`${name}`)");
    std::vector<std::thread> threads;
    std::vector<Json> results(4);
    for (std::size_t t = 0; t < results.size(); ++t) {
      threads.emplace_back([&, t] {
        const Json input{{"name", "abc"},
                         {"items", {{{"price", 0.1}, {"qty", static_cast<int>(t)}}}}};
        for (int i = 0; i < 200; ++i) {
          results[t] = e.evaluate(input);
        }
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    for (std::size_t t = 0; t < results.size(); ++t) {
      CHECK(results[t] == Json(3 + 0.1 * static_cast<double>(t)));
    }
  }
}
