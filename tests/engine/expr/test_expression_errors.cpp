#include <logic_graph/engine/expr/expression.hpp>

#include "expression_support.hpp"

#include <logic_graph/memory/memory_profiler.hpp>

#include <doctest/doctest.h>

#include <array>
#include <random>
#include <string>

using lg::Context;
using lg::Expression;
using lg::ExpressionError;
using lg::test::check_error;
using lg::test::check_parse_error;
using lg::test::eval;
using lg::test::sample_context;

namespace {
std::string repeat(std::string_view piece, int times) {
  std::string s;
  for (int i = 0; i < times; ++i) {
    s += piece;
  }
  return s;
}
}  // namespace

namespace {
// Not `"literal" + std::string`: GCC 12 at -O2 warns falsely (-Wrestrict) on that.
std::string concat(std::string_view head, std::string_view tail) {
  std::string text(head);
  text += tail;
  return text;
}
}  // namespace

TEST_SUITE("expression") {
  TEST_CASE("syntax errors point at the offending token") {
    check_parse_error("a + * b", 4, "expected a value");
    check_parse_error("", 0, "expected a value");
    check_parse_error("   ", 3, "expected a value");
    check_parse_error("1 +", 3, "expected a value");
    check_parse_error(")", 0, "expected a value");
    check_parse_error("(1 + 2", 6, "expected ')', found the end of the expression");
    check_parse_error("[1, 2", 5, "expected ',' or ']'");
    check_parse_error("[1, ]", 4, "expected a value");
    check_parse_error("len(1", 5, "expected ',' or ')'");
    check_parse_error("a[1", 3, "expected ']'");
    check_parse_error("true ? 1", 8, "expected ':'");
    check_parse_error("true ? 1 , 2", 9, "expected ':', found ','");
    check_parse_error("1 2", 2,
                      "expected an operator or the end of the expression, found a number");
    check_parse_error("a b", 2, "found a name");
    check_parse_error("(1)(2)", 3, "found '('");
    check_parse_error("a.", 2, "expected a field name after '.'");
    check_parse_error("a.1", 2, "expected a field name after '.'");
    check_parse_error("a..b", 2, "expected a field name");
  }

  TEST_CASE("lexical errors") {
    check_parse_error("'abc", 0, "unterminated string");
    check_parse_error("x == \"abc\\", 5, "unterminated string");
    check_parse_error(R"('a\qb')", 2, "unknown escape sequence");
    check_parse_error("a = 1", 2, "unexpected '=' (did you mean '=='?)");
    check_parse_error("a & b", 2, "did you mean '&&'?");
    check_parse_error("a | b", 2, "did you mean '||'?");
    check_parse_error("a # b", 2, "unexpected character '#'");
    check_parse_error("a \x01", 2, "unexpected character");
    check_parse_error("caf\xc3\xa9", 3, "unexpected character");
    check_parse_error("12abc", 0, "malformed number");
    check_parse_error("1 + 2e", 4, "malformed number");
    check_parse_error("99999999999999999999", 0, "integer literal out of range");
    check_parse_error("1e999", 0, "number literal out of range");
  }

  TEST_CASE("unknown functions and argument counts are parse errors") {
    check_parse_error("1 + foo(2)", 4, "unknown function 'foo'");
    check_parse_error("x(1)", 0, "unknown function 'x'");
    check_parse_error("len()", 0, "len expects 1 argument, got 0");
    check_parse_error("x + len(1, 2)", 4, "len expects 1 argument, got 2");
    check_parse_error("contains('a')", 0, "contains expects 2 arguments, got 1");
    check_parse_error("min()", 0, "min expects at least 1 argument, got 0");
    check_parse_error("str()", 0, "str expects 1 argument, got 0");
    CHECK_NOTHROW((void)Expression::parse("max(1, 2, 3, 4, 5, 6, 7, 8, 9)"));
  }

  TEST_CASE("type errors name the operator and the types") {
    const Context ctx = sample_context();
    check_error("1 + 'a'", 2, "'+' expects two numbers or two strings, got number and string");
    check_error("'a' - 1", 4, "'-' expects two numbers, got string and number");
    check_error("true * 2", 5, "'*' expects two numbers, got boolean and number");
    check_error("[1] + [2]", 4, "got array and array");
    check_error("1 / 'a'", 2, "'/' expects two numbers");
    check_error("5.5 % 2", 4, "'%' expects two integers, got real and number");
    check_error("1 < 'a'", 2, "'<' cannot compare number and string");
    check_error("null >= 1", 5, "'>=' cannot compare null and number");
    check_error("order.total <= missing", 12, "'<=' cannot compare number and null", ctx);
    check_error("[1] > [0]", 4, "'>' cannot compare array and array");
    check_error("-'a'", 0, "'-' expects a number, got string");
    check_error("1 in 5", 2, "'in' looks in an array, string or object, got number");
    check_error("x in missing", 2, "got null", ctx);
    check_error("1 in 'abc'", 2, "'in' looks for a string in a string, got number");
    check_error("1 in order", 2, "'in' looks for a string in a object, got number", ctx);
  }

  TEST_CASE("division by zero, modulo by zero and overflow") {
    const Context ctx = sample_context();
    check_error("1 / 0", 2, "division by zero");
    check_error("1.5 / 0.0", 4, "division by zero");
    check_error("order.total / (i - 1)", 12, "division by zero", ctx);
    check_error("5 % 0", 2, "modulo by zero");
    // Integers are exact from -2^63 to 2^64 - 1 (see test_expression_integers.cpp).
    check_error("18446744073709551615 + 1", 21, "integer overflow in '+'");
    check_error("-9223372036854775807 - 2", 21, "integer overflow in '-'");
    check_error("9223372036854775808 * 2", 20, "integer overflow in '*'");
    check_error("-(9223372036854775807 + 2)", 0, "integer overflow in '-'");
    check_error("1e308 * 10", 6, "number overflow");
  }

  TEST_CASE("runtime errors inside functions and conditionals keep their position") {
    const Context ctx = sample_context();
    check_error("len(order.tags) + len(1)", 18, "len expects", ctx);
    check_error("true ? 1 / 0 : 0", 9, "division by zero");
    check_error("str(1 / 0)", 6, "division by zero");
    check_error("order.tags[1 / 0]", 13, "division by zero", ctx);
  }

  TEST_CASE("deep nesting is an error, not a stack overflow") {
    CHECK(eval(repeat("(", 200) + "1" + repeat(")", 200)) == 1);
    check_parse_error(repeat("(", 300) + "1" + repeat(")", 300), 256, "nested too deeply");
    check_parse_error(repeat("!", 300) + "x", 255, "nested too deeply");
    check_parse_error(repeat("-", 300) + "x", 255, "nested too deeply");
    check_parse_error(repeat("[", 300), 256, "nested too deeply");
    check_parse_error(concat("a", repeat("[a", 300)), 512, "nested too deeply");
    check_parse_error(repeat("len(", 300) + "x" + repeat(")", 300), 1024, "nested too deeply");
    check_parse_error(repeat("true ? 1 : ", 300) + "0", 2812, "nested too deeply");
    // A long flat chain builds a deep tree without nesting: the tree depth is limited too.
    check_parse_error(concat("1", repeat(" + 1", 300)), 1022, "nested too deeply");
    CHECK(eval(concat("1", repeat(" + 1", 200))) == 201);
    // Far beyond the limit still fails quickly and cleanly.
    check_parse_error(repeat("(", 1'000'000), 256, "nested too deeply");
  }

  TEST_CASE("arbitrary input parses or throws ExpressionError") {
    const Context ctx = sample_context();
    constexpr std::string_view alphabet = "abxi.[]()'\"\\!-+*/%<>=&|?:,01 9e\x80";
    std::mt19937 rng(12345);
    int parsed = 0;
    for (int n = 0; n < 20'000; ++n) {
      std::string text(rng() % 24, ' ');
      for (char& c : text) {
        c = alphabet[rng() % alphabet.size()];
      }
      try {
        const Expression e = Expression::parse(text);
        ++parsed;
        (void)e.evaluate(ctx);
      } catch (const ExpressionError&) {
      }
    }
    CHECK(parsed > 0);
  }

  TEST_CASE("test() on paths and literals allocates nothing") {
    const Context ctx = sample_context();
    const std::array expressions{
        Expression::parse("order.total > 0 && order.items > 0"),
        Expression::parse("validate"),
        Expression::parse("x == 'gold'"),
        Expression::parse("'vip' in order.tags && x in ['silver', 'gold']"),
        Expression::parse("order.lines[i].qty >= 1 ? order.rate < 1 : false"),
        Expression::parse("order[k] == x && order['key with space'] != -1"),
        Expression::parse("exists(order.nothing) && !exists(order.absent)"),
        Expression::parse("len(order.tags) == 2 && min(nums) < 0 && sum(nums) > 12"),
        Expression::parse("abs(-price) > 9 && round(price) == 10 && price / 2 > 4.7"),
        Expression::parse("contains(x, 'ol') && starts_with(x, 'go') || missing.field"),
    };
    const lg::Expression value = Expression::parse("order.total * 2 + i");
    bool all = true;
    for (const Expression& e : expressions) {
      all = all && e.test(ctx);  // warm up (and check) outside the measured loop
    }
    REQUIRE(all);

    const auto before = lg::memory::MemoryProfiler::snapshot();
    int true_count = 0;
    std::int64_t total = 0;
    for (int round = 0; round < 1000; ++round) {
      for (const Expression& e : expressions) {
        true_count += e.test(ctx) ? 1 : 0;
      }
      total += value.evaluate(ctx).get<std::int64_t>();  // a scalar result needs no heap
    }
    const auto diff = lg::memory::MemoryProfiler::snapshot().diff(before);
    CHECK(diff.allocations == 0);
    CHECK(true_count == 1000 * static_cast<int>(expressions.size()));
    CHECK(total == 1000 * 241);
  }
}
