#include <logic_graph/engine/expr/expression.hpp>

#include "expression_support.hpp"

#include <doctest/doctest.h>

using lg::Context;
using lg::test::check_error;
using lg::test::eval;
using lg::test::Json;
using lg::test::sample_context;

TEST_SUITE("expression") {
  TEST_CASE("len") {
    const Context ctx = sample_context();
    CHECK(eval("len('abc')") == 3);
    CHECK(eval("len('')") == 0);
    CHECK(eval("len('h\xc3\xa9llo')") == 5);  // code points, not bytes
    CHECK(eval("len(order.tags)", ctx) == 2);
    CHECK(eval("len([])") == 0);
    CHECK(eval("len(order)", ctx) == 9);
    CHECK(eval("len(order.empty)", ctx) == 0);
    check_error("len(5)", 0, "len expects a string, array or object, got number");
    check_error("1 + len(missing)", 4, "got null", ctx);
  }

  TEST_CASE("lower and upper") {
    CHECK(eval("lower('MiXeD 1')") == "mixed 1");
    CHECK(eval("upper('MiXeD 1')") == "MIXED 1");
    CHECK(eval("upper(x)", sample_context()) == "GOLD");
    CHECK(eval("upper('\xc3\xa9')") == "\xc3\xa9");  // ASCII only
    check_error("lower(1)", 0, "lower expects a string, got number");
    check_error("upper([])", 0, "upper expects a string, got array");
  }

  TEST_CASE("contains, starts_with and ends_with") {
    const Context ctx = sample_context();
    CHECK(eval("contains(order.tags, 'vip')", ctx) == true);
    CHECK(eval("contains(order.tags, 'old')", ctx) == false);
    CHECK(eval("contains('gold', 'ol')") == true);
    CHECK(eval("contains(order, 'tier')", ctx) == true);
    CHECK(eval("contains([1, 2], 2.0)") == true);
    check_error("contains(1, 1)", 0, "contains looks in an array, string or object, got number");
    check_error("contains('abc', 1)", 0, "contains looks for a string in a string, got number");
    CHECK(eval("starts_with('golden', 'gold')") == true);
    CHECK(eval("starts_with('gold', 'golden')") == false);
    CHECK(eval("ends_with('golden', 'den')") == true);
    CHECK(eval("ends_with(x, 'x')", ctx) == false);
    CHECK(eval("starts_with('', '')") == true);
    check_error("starts_with('a', 1)", 0, "starts_with expects two strings, got string and number");
    check_error("ends_with(null, 'a')", 0, "ends_with expects two strings, got null and string");
  }

  TEST_CASE("min and max") {
    const Context ctx = sample_context();
    CHECK(eval("min(3, 1, 2)") == 1);
    CHECK(eval("min(3, 1, 2)").is_number_integer());
    CHECK(eval("max(3, 1, 2)") == 3);
    CHECK(eval("min(2, 1.5)") == 1.5);
    CHECK(eval("max(2, 1.5)") == 2);
    CHECK(eval("max(2, 1.5)").is_number_integer());
    CHECK(eval("min(7)") == 7);
    CHECK(eval("min(nums)", ctx) == -2);
    CHECK(eval("max(nums)", ctx) == 10);
    CHECK(eval("max([0.5, 0.25])") == 0.5);
    check_error("min([])", 0, "min of an empty array");
    check_error("max(1, 'a')", 0, "max expects numbers or one array of numbers, got string");
    check_error("max([1, 'a'])", 0, "got string");
    check_error("min(null)", 0, "got null");
  }

  TEST_CASE("abs, round, floor and ceil") {
    CHECK(eval("abs(-3)") == 3);
    CHECK(eval("abs(-3)").is_number_integer());
    CHECK(eval("abs(2.5)") == 2.5);
    CHECK(eval("abs(-2.5)") == 2.5);
    CHECK(eval("round(2.5)") == 3);
    CHECK(eval("round(2.5)").is_number_integer());
    CHECK(eval("round(-2.5)") == -3);  // halves away from zero
    CHECK(eval("round(2.49)") == 2);
    CHECK(eval("round(7)") == 7);
    CHECK(eval("floor(2.7)") == 2);
    CHECK(eval("floor(-2.1)") == -3);
    CHECK(eval("floor(-2.1)").is_number_integer());
    CHECK(eval("ceil(2.1)") == 3);
    CHECK(eval("ceil(-2.7)") == -2);
    CHECK(eval("ceil(4)") == 4);
    check_error("abs('1')", 0, "abs expects a number, got string");
    check_error("round(true)", 0, "round expects a number, got boolean");
    check_error("floor(1e300)", 0, "floor result is out of integer range");
    CHECK(eval("abs(-9223372036854775807 - 1)") == 9223372036854775808u);  // fits unsigned
  }

  TEST_CASE("sum") {
    CHECK(eval("sum([1, 2, 3])") == 6);
    CHECK(eval("sum([1, 2, 3])").is_number_integer());
    CHECK(eval("sum([1, 2.5])") == 3.5);
    CHECK(eval("sum([])") == 0);
    CHECK(eval("sum(nums)", sample_context()) == 12.5);
    CHECK(eval("sum([order.total, order.items])", sample_context()) == 123);
    check_error("sum(1)", 0, "sum expects an array of numbers, got number");
    check_error("sum([1, '2'])", 0, "sum expects an array of numbers, found string");
    check_error("sum([18446744073709551615, 1])", 0, "integer overflow in sum");
    check_error("sum([-9223372036854775807, -2])", 0, "integer overflow in sum");
  }

  TEST_CASE("exists") {
    const Context ctx = sample_context();
    CHECK(eval("exists(order)", ctx) == true);
    CHECK(eval("exists(order.total)", ctx) == true);
    CHECK(eval("exists(order.nothing)", ctx) == true);  // a stored null is present
    CHECK(eval("exists(n)", ctx) == true);
    CHECK(eval("exists(order.absent)", ctx) == false);
    CHECK(eval("exists(missing)", ctx) == false);
    CHECK(eval("exists(order.tags[1])", ctx) == true);
    CHECK(eval("exists(order.tags[2])", ctx) == false);
    CHECK(eval("exists(order.lines[i].qty)", ctx) == true);
    CHECK(eval("exists(order['key with space'])", ctx) == true);
    lg::test::check_parse_error("exists(1)", 7, "exists expects a path");
    lg::test::check_parse_error("exists(len(x))", 7, "exists expects a path");
  }

  TEST_CASE("str") {
    const Context ctx = sample_context();
    CHECK(eval("str('text')") == "text");
    CHECK(eval("str(42)") == "42");
    CHECK(eval("str(-1.5)") == "-1.5");
    CHECK(eval("str(true)") == "true");
    CHECK(eval("str(null)") == "null");
    CHECK(eval("str(missing)", ctx) == "null");
    CHECK(eval("str([1, 'a'])") == R"([1,"a"])");
    CHECK(eval("str(order.lines[0])", ctx) == R"({"qty":2,"sku":"a"})");
    CHECK(eval("'n=' + str(order.items)", ctx) == "n=3");
  }

  TEST_CASE("num") {
    CHECK(eval("num('42')") == 42);
    CHECK(eval("num('42')").is_number_integer());
    CHECK(eval("num('-7')") == -7);
    CHECK(eval("num('+7')") == 7);
    CHECK(eval("num(' 12 ')") == 12);
    CHECK(eval("num('2.5')") == 2.5);
    CHECK(eval("num('2.5')").is_number_float());
    CHECK(eval("num('1e3')") == 1000.0);
    CHECK(eval("num('1e3')").is_number_float());
    CHECK(eval("num('99999999999999999999')") == 1e20);  // too big for any integer: a real
    CHECK(eval("num(5)") == 5);
    CHECK(eval("num(0.25)") == 0.25);
    CHECK(eval("num(true)") == 1);
    CHECK(eval("num(false)") == 0);
    CHECK(eval("num(str(12)) + 1") == 13);
    check_error("num('abc')", 0, "num cannot convert 'abc' to a number");
    check_error("num('')", 0, "num cannot convert '' to a number");
    check_error("num('12abc')", 0, "cannot convert");
    check_error("num('+-1')", 0, "cannot convert");
    check_error("num('inf')", 0, "cannot convert");
    check_error("num('nan')", 0, "cannot convert");
    check_error("num(null)", 0, "num expects a string, number or boolean, got null");
    check_error("num([1])", 0, "got array");
  }

  TEST_CASE("functions compose with operators and paths") {
    const Context ctx = sample_context();
    CHECK(eval("len(order.tags) > 1 && starts_with(upper(x), 'GO')", ctx) == true);
    CHECK(eval("max(order.total, sum([1, 2])) / 2", ctx) == 60.0);
    CHECK(eval("round(order.total * order.rate / 7)", ctx) == 9);
    CHECK(eval("lower(order.tier) in ['gold', 'silver']", ctx) == true);
  }
}
