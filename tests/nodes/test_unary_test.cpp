// Decision-table cells: ZEN's unary tests, compiled once, and their index form.

#include "decisions/unary_test.hpp"
#include "nodes/json_lookup.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using lg::detail::compile_unary_test;
using Json = nlohmann::json;

namespace {

bool holds(const std::string& cell, const Json& subject, Json rest = Json::object()) {
  return compile_unary_test(cell).matches(subject, lg::test::JsonLookup(std::move(rest)));
}

}  // namespace

TEST_SUITE("decision table cells") {
  TEST_CASE("an empty cell matches anything") {
    CHECK(compile_unary_test("").any);
    CHECK(compile_unary_test("   ").any);
    CHECK(holds("", nullptr));
    CHECK(holds(" ", Json::array()));
  }

  TEST_CASE("a value is a test of equality") {
    CHECK(holds("true", true));
    CHECK_FALSE(holds("true", false));
    CHECK(holds("false", false));
    CHECK(holds("'GB'", "GB"));
    CHECK_FALSE(holds("'GB'", "gb"));
    CHECK(holds("5 % 2", 1));
    CHECK(holds("(5 + 3) * 2", 16));
    CHECK(holds("abs(-5)", 5));
    CHECK_FALSE(holds("1", "1"));  // no conversion between types
    CHECK(holds("1", 1.0));
  }

  TEST_CASE("comparisons take the column's value on the left") {
    CHECK(holds("> 5", 10));
    CHECK_FALSE(holds("> 5", 5));
    CHECK(holds(">= 10", 10));
    CHECK(holds("< 10", 5));
    CHECK(holds("<= 5", 5));
    CHECK(holds("!= 'x'", "y"));
    CHECK_FALSE(holds("!= 'x'", "x"));
    CHECK(holds("== 'x'", "x"));
    CHECK(holds(">= 5 + 2", 7));
    CHECK_FALSE(holds("< 5 * 3", 15));
    CHECK(holds("> limit", 10, {{"limit", 3}}));
    CHECK_FALSE(holds("> limit", 2, {{"limit", 3}}));
  }

  TEST_CASE("intervals, their ends closed or open") {
    CHECK(holds("[-10..0]", 0));
    CHECK_FALSE(holds("(-10..0]", -10));
    CHECK(holds("[-10..0)", -10));
    CHECK_FALSE(holds("(-10..0)", 0));
    CHECK_FALSE(holds("[-15..-5]", -4.99));
    CHECK(holds("[-5..5]", 5));
    CHECK_FALSE(holds("[0..0]", 5));
    CHECK(holds("[0..0]", 0));
    CHECK(holds("[1 + 1..2 * 3]", 6));
    CHECK(holds("[lo..hi]", 4, {{"lo", 1}, {"hi", 4}}));
  }

  TEST_CASE("and, or and commas combine tests, a comma is the loosest") {
    CHECK_FALSE(holds("> 5 and < 10", 5));
    CHECK(holds("<= 10 and > 5", 10));
    CHECK(holds(">= 10 or < 5", 10));
    CHECK(holds("[-10..0] and > -5", -4.99));
    CHECK_FALSE(holds("[-10..0] and > -5", -5));
    CHECK_FALSE(holds("(-10..0] or > 0", -10));
    CHECK(holds("(-10..0) or > 0", 5));
    CHECK_FALSE(holds("[-5..5] or < 0", 5.01));
    CHECK_FALSE(holds("> 10 or < -5", 5));
    CHECK(holds("> 10, < -5", 15));
    CHECK(holds("'GB','US'", "US"));
    CHECK_FALSE(holds("'GB','US'", "FR"));
    CHECK(holds("'a, b', 'c'", "a, b"));  // a comma inside quotes is text
    CHECK(holds("[1..2], [5..6], 'x'", 5.5));
    CHECK(holds("[1..2], [5..6], 'x'", "x"));
    CHECK_FALSE(holds("[1..2], [5..6], 'x'", 3));
  }

  TEST_CASE("in and not in, with lists and intervals") {
    CHECK(holds("in [1, 2, 3]", 2));
    CHECK_FALSE(holds("in [1, 2, 3]", 4));
    CHECK(holds("not in [1, 2, 3]", 4));
    CHECK(holds("in [1..3]", 3));
    CHECK(holds("not in (1..3)", 3));
    CHECK_FALSE(holds("not in [1..3]", 2));
    CHECK(holds("in allowed", "b", {{"allowed", {"a", "b"}}}));
  }

  TEST_CASE("a cell that names $ is an expression of its own") {
    CHECK(holds("$ > 0 and $ < 10", 5));
    CHECK_FALSE(holds("$ > 0 and $ < 10", 10));
    CHECK(holds("len($) == 13", "Hello, World!"));
    CHECK(holds("starts_with($, 'Hel') or $ == 'x'", "x"));
    CHECK(holds("not ($ in [1, 2])", 3));
    CHECK(holds("$.age >= 18", {{"age", 20}}));
    CHECK(holds("'$'", "$"));  // in quotes, $ is text
  }

  TEST_CASE("a test that fails to evaluate does not match") {
    CHECK_FALSE(holds("> 5", "ten"));
    CHECK_FALSE(holds("[1..5]", nullptr));
    CHECK_FALSE(holds("len($) > 2", 5));
    CHECK_FALSE(holds("1 / 0", 1));
  }

  TEST_CASE("constant cells have an index form") {
    const auto values = compile_unary_test("'GB', 'US', 3, true, null");
    CHECK(values.constant);
    CHECK(values.values == std::vector<Json>{"GB", "US", 3, true, nullptr});
    const auto ranges = compile_unary_test("[1..5), > 10");
    CHECK(ranges.constant);
    REQUIRE(ranges.intervals.size() == 2);
    CHECK(ranges.intervals[0].contains(1));
    CHECK_FALSE(ranges.intervals[0].contains(5));
    CHECK(ranges.intervals[1].contains(11));
    CHECK_FALSE(ranges.intervals[1].contains(10));
    CHECK(compile_unary_test("in [1, 2]").constant);
    CHECK(compile_unary_test("<= 2 * 3").constant);
    CHECK_FALSE(compile_unary_test("> 5 and < 10").constant);
    CHECK_FALSE(compile_unary_test("!= 3").constant);
    CHECK_FALSE(compile_unary_test("> limit").constant);
    CHECK_FALSE(compile_unary_test("$ > 1").constant);
    CHECK_FALSE(compile_unary_test("> 'm'").constant);  // strings compare, but are not indexed
    CHECK_FALSE(compile_unary_test("9007199254740993").constant);  // beyond a double's exactness
  }

  TEST_CASE("errors point at the place in the cell as written") {
    const auto error_of = [](const std::string& cell) {
      try {
        (void)compile_unary_test(cell);
      } catch (const lg::ExpressionError& e) {
        return std::pair{e.position(), std::string(e.what())};
      }
      return std::pair{std::size_t{999}, std::string()};
    };
    CHECK(error_of("'GB', > ").first == 7);
    CHECK(error_of("'GB', > ").second.find("expected a value after '>'") != std::string::npos);
    CHECK(error_of("'GB', > ").second.find("in ''GB', > '") != std::string::npos);
    CHECK(error_of("1, , 2").first == 3);
    CHECK(error_of("[1..]").first == 4);
    CHECK(error_of("> 5 and < (").first == 11);
    CHECK(error_of("$ > ").first == 4);
    CHECK(error_of("nosuch(1)").first == 0);
  }
}
