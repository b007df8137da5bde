#include <logic_graph/engine/expr/expression.hpp>

#include "expression_support.hpp"

#include <doctest/doctest.h>

#include <barrier>
#include <thread>
#include <vector>

using lg::Context;
using lg::Expression;
using lg::test::eval;
using lg::test::Json;
using lg::test::sample_context;

TEST_SUITE("expression") {
  TEST_CASE("literals") {
    CHECK(eval("42") == 42);
    CHECK(eval("42").is_number_integer());
    CHECK(eval("0") == 0);
    CHECK(eval("9223372036854775807") == INT64_MAX);
    CHECK(eval("1.5") == 1.5);
    CHECK(eval("1.5").is_number_float());
    CHECK(eval("2e3") == 2000.0);
    CHECK(eval("2e3").is_number_float());
    CHECK(eval("1.25E-2") == 0.0125);
    CHECK(eval("-7") == -7);
    CHECK(eval("-0.5") == -0.5);
    CHECK(eval("'single'") == "single");
    CHECK(eval("\"double\"") == "double");
    CHECK(eval("''") == "");
    CHECK(eval(R"('it\'s')") == "it's");
    CHECK(eval(R"("say \"hi\"")") == "say \"hi\"");
    CHECK(eval(R"('a\\b')") == "a\\b");
    CHECK(eval(R"('line\nnext\ttab')") == "line\nnext\ttab");
    CHECK(eval(R"('"')") == "\"");
    CHECK(eval("true") == true);
    CHECK(eval("false") == false);
    CHECK(eval("null").is_null());
    CHECK(eval("[]") == Json::array());
    CHECK(eval("[1, 'a', 2.5, true, null, [3]]") ==
          Json::parse(R"([1, "a", 2.5, true, null, [3]])"));
    CHECK(eval("[1, x, i + 1]", sample_context()) == Json::parse(R"([1, "gold", 2])"));
    CHECK(eval("[order.tags, -i]", sample_context()) == Json::parse(R"([["new", "vip"], -1])"));
    CHECK(eval("  \t\n 7 \r\n") == 7);
  }

  TEST_CASE("paths into the context") {
    const Context ctx = sample_context();
    CHECK(eval("x", ctx) == "gold");
    CHECK(eval("order.total", ctx) == 120);
    CHECK(eval("order.tags[0]", ctx) == "new");
    CHECK(eval("order.tags[1]", ctx) == "vip");
    CHECK(eval("order.lines[1].sku", ctx) == "b");
    CHECK(eval("order[\"key with space\"]", ctx) == 7);
    CHECK(eval("order['total']", ctx) == 120);
    CHECK(eval("order.tags[i]", ctx) == "vip");
    CHECK(eval("order.tags[i - 1]", ctx) == "new");
    CHECK(eval("order[k]", ctx) == "gold");
    CHECK(eval("order['ti' + 'er']", ctx) == "gold");
    CHECK(eval("order.lines[len(order.lines) - 1].qty", ctx) == 1);
    CHECK(eval("order.tags[2.0 / 2]", ctx) == "vip");  // a whole real indexes too
    CHECK(eval("order . total", ctx) == 120);
    CHECK(eval("order", ctx) == *ctx.get("order"));
    CHECK(eval("big", ctx) == 9223372036854775808u);
    CHECK(eval("big", ctx).is_number_unsigned());
  }

  TEST_CASE("missing keys, fields and indexes are null") {
    const Context ctx = sample_context();
    CHECK(eval("missing", ctx).is_null());
    CHECK(eval("missing.deeper[3].still", ctx).is_null());
    CHECK(eval("order.nope", ctx).is_null());
    CHECK(eval("order.tags[2]", ctx).is_null());
    CHECK(eval("order.tags[-1]", ctx).is_null());
    CHECK(eval("order.tags[1.5]", ctx).is_null());
    CHECK(eval("order.tags['x']", ctx).is_null());
    CHECK(eval("order.total.deeper", ctx).is_null());
    CHECK(eval("order[0]", ctx).is_null());
    CHECK(eval("x[0]", ctx).is_null());
    CHECK(eval("order[missing]", ctx).is_null());
    CHECK(eval("order.nothing", ctx).is_null());
    CHECK(eval("missing == null", ctx) == true);
    CHECK(eval("order.in", ctx).is_null());  // keywords are fine as field names
  }

  TEST_CASE("arithmetic") {
    CHECK(eval("1 + 2") == 3);
    CHECK(eval("1 + 2").is_number_integer());
    CHECK(eval("5 - 8") == -3);
    CHECK(eval("6 * 7") == 42);
    CHECK(eval("6 * 7").is_number_integer());
    CHECK(eval("1 + 0.5") == 1.5);
    CHECK(eval("2 * 1.5") == 3.0);
    CHECK(eval("2 * 1.5").is_number_float());
    CHECK(eval("0.5 - 1") == -0.5);
    CHECK(eval("7 / 2") == 3.5);
    CHECK(eval("6 / 2") == 3.0);
    CHECK(eval("6 / 2").is_number_float());
    CHECK(eval("7 % 3") == 1);
    CHECK(eval("-7 % 3") == -1);
    CHECK(eval("7 % -3") == 1);
    CHECK(eval("'ab' + 'cd'") == "abcd");
    CHECK(eval("x + '!'", sample_context()) == "gold!");
    CHECK(eval("order.total * order.rate", sample_context()) == 60.0);
    CHECK(eval("- i", sample_context()) == -1);
    CHECK(eval("-price", sample_context()) == -9.5);
    CHECK(eval("- -3") == 3);
    CHECK(eval("9223372036854775806 + 1") == INT64_MAX);
    CHECK(eval("-9223372036854775807 - 1") == INT64_MIN);
    CHECK(eval("(-9223372036854775807 - 1) % -1") == 0);
  }

  TEST_CASE("comparison") {
    CHECK(eval("1 == 1") == true);
    CHECK(eval("1 == 1.0") == true);
    CHECK(eval("1.0 == 1") == true);
    CHECK(eval("1 != 1.5") == true);
    CHECK(eval("'a' == 'a'") == true);
    CHECK(eval("'a' == 'b'") == false);
    CHECK(eval("'1' == 1") == false);
    CHECK(eval("true == 1") == false);
    CHECK(eval("null == null") == true);
    CHECK(eval("null == false") == false);
    CHECK(eval("[1, 2] == [1, 2.0]") == true);
    CHECK(eval("[1, 2] != [2, 1]") == true);
    CHECK(eval("order.tags == ['new', 'vip']", sample_context()) == true);
    CHECK(eval("order.empty == order.empty", sample_context()) == true);
    CHECK(eval("x == 'gold'", sample_context()) == true);
    CHECK(eval("'gold' == x", sample_context()) == true);
    CHECK(eval("1 < 2") == true);
    CHECK(eval("2 <= 2") == true);
    CHECK(eval("3 > 2.5") == true);
    CHECK(eval("2.5 >= 3") == false);
    CHECK(eval("'abc' < 'abd'") == true);
    CHECK(eval("'b' > 'abc'") == true);
    CHECK(eval("'a' <= 'a'") == true);
    CHECK(eval("'a' >= 'b'") == false);
    // Exact across integer and real: 2^53 + 1 is not the double 2^53.
    CHECK(eval("9007199254740993 > 9007199254740992.0") == true);
    CHECK(eval("9007199254740993 == 9007199254740992.0") == false);
    CHECK(eval("-1 > -1.5") == true);
    CHECK(eval("big > 9223372036854775807", sample_context()) == true);
  }

  TEST_CASE("in") {
    const Context ctx = sample_context();
    CHECK(eval("'vip' in order.tags", ctx) == true);
    CHECK(eval("'old' in order.tags", ctx) == false);
    CHECK(eval("2 in [1, 2.0, 3]") == true);
    CHECK(eval("[1] in [[1], 2]") == true);
    CHECK(eval("'ol' in 'gold'") == true);
    CHECK(eval("'' in 'gold'") == true);
    CHECK(eval("'x' in 'gold'") == false);
    CHECK(eval("'total' in order", ctx) == true);
    CHECK(eval("'nothing' in order", ctx) == true);
    CHECK(eval("'absent' in order", ctx) == false);
    CHECK(eval("x in ['silver', 'gold']", ctx) == true);
    CHECK(eval("null in [1, null]") == true);
  }

  TEST_CASE("logic and the conditional") {
    CHECK(eval("true && false") == false);
    CHECK(eval("true || false") == true);
    CHECK(eval("1 && 'a'") == true);  // booleans, not the operand
    CHECK(eval("0 || ''") == false);
    CHECK(eval("!true") == false);
    CHECK(eval("!0") == true);
    CHECK(eval("!!'x'") == true);
    // Short circuit: the right side would fail if it ran.
    CHECK(eval("false && 1 / 0") == false);
    CHECK(eval("true || 1 / 0") == true);
    CHECK(eval("true ? 1 : 1 / 0") == 1);
    CHECK(eval("false ? 1 / 0 : 2") == 2);
    CHECK(eval("order.total >= 100 ? 0.1 : 0.0", sample_context()) == 0.1);
    CHECK(eval("missing ? 'y' : 'n'", sample_context()) == "n");
  }

  TEST_CASE("precedence and associativity") {
    CHECK(eval("1 + 2 * 3") == 7);
    CHECK(eval("(1 + 2) * 3") == 9);
    CHECK(eval("10 - 4 - 3") == 3);  // left-associative
    CHECK(eval("2 * 3 % 4") == 2);   // (2 * 3) % 4
    CHECK(eval("12 / 3 / 2") == 2.0);
    CHECK(eval("-2 * 3") == -6);
    CHECK(eval("-(2 + 3)") == -5);
    CHECK(eval("!false == true") == true);        // (!false) == true
    CHECK(eval("1 + 1 in [2]") == true);          // + binds tighter than in
    CHECK(eval("'a' in ['a'] == true") == true);  // in binds tighter than ==
    CHECK(eval("1 < 2 == true") == true);         // < binds tighter than ==
    // in binds tighter than <: 1 < ('a' in 'a') compares a number with a boolean.
    lg::test::check_error("1 < 'a' in 'a'", 2, "'<' cannot compare number and boolean");
    CHECK(eval("1 == 1 && 2 == 2") == true);
    CHECK(eval("true || false && false") == true);  // && binds tighter than ||
    CHECK(eval("(true || false) && false") == false);
    CHECK(eval("false ? 1 : true ? 2 : 3") == 2);  // right-associative
    CHECK(eval("true ? false ? 1 : 2 : 3") == 2);
    CHECK(eval("true || false ? 'y' : 'n'") == "y");  // ?: is lowest
    CHECK(eval("1 + 2 > 2 && 'a' < 'b'") == true);
  }

  TEST_CASE("truthiness") {
    for (const char* falsy :
         {"null", "false", "0", "0.0", "-0.0", "''", "[]", "order.empty", "missing", "n"}) {
      CAPTURE(falsy);
      CHECK_FALSE(Expression::parse(falsy).test(sample_context()));
    }
    for (const char* truthy :
         {"true", "1", "-1", "0.1", "'0'", "' '", "[0]", "[[]]", "order", "x", "validate"}) {
      CAPTURE(truthy);
      CHECK(Expression::parse(truthy).test(sample_context()));
    }
    CHECK_FALSE(lg::truthy(Json()));
    CHECK_FALSE(lg::truthy(Json(false)));
    CHECK_FALSE(lg::truthy(Json(0)));
    CHECK_FALSE(lg::truthy(Json(0u)));
    CHECK_FALSE(lg::truthy(Json(0.0)));
    CHECK_FALSE(lg::truthy(Json("")));
    CHECK_FALSE(lg::truthy(Json::array()));
    CHECK_FALSE(lg::truthy(Json::object()));
    CHECK(lg::truthy(Json(true)));
    CHECK(lg::truthy(Json(2u)));
    CHECK(lg::truthy(Json(-0.5)));
    CHECK(lg::truthy(Json("a")));
    CHECK(lg::truthy(Json::array({nullptr})));
    CHECK(lg::truthy(Json{{"a", nullptr}}));
  }

  TEST_CASE("text, referenced keys and copies") {
    const Expression e = Expression::parse("order.total > limit && order.items[i] in seen");
    CHECK(e.text() == "order.total > limit && order.items[i] in seen");
    CHECK(e.referenced_keys() == std::vector<std::string>{"order", "limit", "i", "seen"});
    CHECK(Expression::parse("len(a) + exists(b.c) + 1").referenced_keys() ==
          std::vector<std::string>{"a", "b"});
    CHECK(Expression::parse("1 + 2").referenced_keys().empty());
    const Expression copy = e;  // NOLINT(performance-unnecessary-copy-initialization)
    CHECK(copy.text() == e.text());
  }

  TEST_CASE("one expression evaluated from many threads at once" * doctest::timeout(30)) {
    const Expression e = Expression::parse("order.total * 2 + len(order.tags) + i");
    constexpr int threads = 4;
    std::barrier start(threads);
    std::vector<int> wrong(threads, 0);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        Context ctx = sample_context();
        ctx.set("i", t);
        start.arrive_and_wait();
        for (int n = 0; n < 2000; ++n) {
          wrong[t] += e.evaluate(ctx) == 242 + t ? 0 : 1;
        }
      });
    }
    for (auto& w : workers) {
      w.join();
    }
    for (int t = 0; t < threads; ++t) {
      CHECK(wrong[t] == 0);
    }
  }
}
