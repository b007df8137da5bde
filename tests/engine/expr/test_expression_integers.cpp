#include <logic_graph/engine/expr/expression.hpp>

#include "expression_support.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

using lg::Context;
using lg::test::check_error;
using lg::test::check_parse_error;
using lg::test::eval;
using lg::test::Json;

namespace {

constexpr std::uint64_t u_max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t two_to_63 = std::uint64_t{1} << 63;

// JSON reads integers above 2^63 - 1 as unsigned: the context holds them that way.
Context unsigned_context() {
  Context ctx;
  ctx.set("u", u_max);      // 18446744073709551615
  ctx.set("v", u_max - 1);  // 18446744073709551614
  ctx.set("h", two_to_63);  // 9223372036854775808
  ctx.set("two64", 18446744073709551616.0);
  ctx.set("nan", std::numeric_limits<double>::quiet_NaN());
  ctx.set("neg", -1);
  ctx.set("us", Json::array({u_max, 1}));
  ctx.set("vs", Json::array({u_max - 1, 1}));
  ctx.set("uo", Json{{"k", u_max}});
  ctx.set("vo", Json{{"k", u_max - 1}});
  return ctx;
}

// `text` evaluates to exactly the unsigned `expected`.
void check_unsigned(const std::string& text, std::uint64_t expected, const Context& ctx) {
  CAPTURE(text);
  const Json result = eval(text, ctx);
  CHECK(result.is_number_unsigned());
  CHECK(result == expected);
}

}  // namespace

TEST_SUITE("expression") {
  TEST_CASE("integers above 2^63 - 1 compare exactly") {
    const Context ctx = unsigned_context();
    for (const char* yes : {"u != v", "!(u == v)", "u > v", "v < u", "u >= v", "v <= u", "u == u",
                            "u >= u", "u == 18446744073709551615", "v == 18446744073709551614",
                            "h == 9223372036854775808", "h > 9223372036854775807", "h - 1 < h",
                            // against negative integers: not the same bits as -1 and -2
                            "u != -1", "u > neg", "neg < u", "v != -2", "u != neg",
                            // against reals: 2^64 is above every unsigned, 2^63 is h exactly
                            "u != two64", "u < two64", "two64 > u", "h == 9223372036854775808.0",
                            "h < 9223372036854777856.0", "u > 1.8446744073709550e19",
                            // NaN is unordered with everything
                            "u != nan", "!(u == nan)", "!(u < nan)", "!(u >= nan)", "!(nan > u)"}) {
      const std::string text = yes;
      CAPTURE(text);
      CHECK(eval(text, ctx) == true);
    }
  }

  TEST_CASE("integers above 2^63 - 1 are exact inside arrays, objects, in, min and max") {
    const Context ctx = unsigned_context();
    for (const char* yes :
         {"us != vs", "!(us == vs)", "us == us", "us == [18446744073709551615, 1]", "[u] != [-1]",
          "[neg] != [u]", "[v] != [u]", "[u, 1.0] == us", "uo != vo", "uo == uo", "[[u]] != [[-1]]",
          // exact for reals inside containers too, as outside
          "[9007199254740993] != [9007199254740992.0]", "[1, 2] == [1.0, 2]"}) {
      const std::string text = yes;
      CAPTURE(text);
      CHECK(eval(text, ctx) == true);
    }
    CHECK(eval("u in us", ctx) == true);
    CHECK(eval("v in us", ctx) == false);
    CHECK(eval("-1 in us", ctx) == false);
    CHECK(eval("two64 in us", ctx) == false);
    check_unsigned("max(v, u)", u_max, ctx);
    check_unsigned("max(u, v)", u_max, ctx);
    check_unsigned("min(u, v)", u_max - 1, ctx);
    check_unsigned("min(two64, u)", u_max, ctx);
    check_unsigned("max(vs)", u_max - 1, ctx);
    CHECK(eval("min(u, neg)", ctx) == -1);
  }

  TEST_CASE("integer arithmetic is exact from -2^63 to 2^64 - 1, an overflow outside") {
    const Context ctx = unsigned_context();
    check_unsigned("v + 1", u_max, ctx);
    check_unsigned("1 + v", u_max, ctx);
    check_unsigned("9223372036854775807 + 1", two_to_63, ctx);
    check_unsigned("(h - 1) * 2 + 1", u_max, ctx);
    check_unsigned("-(-9223372036854775807 - 1)", two_to_63, ctx);
    check_unsigned("abs(-9223372036854775807 - 1)", two_to_63, ctx);
    check_unsigned("sum([v, 1])", u_max, ctx);
    check_unsigned("round(u)", u_max, ctx);
    check_unsigned("abs(u)", u_max, ctx);
    check_unsigned("floor(1e19)", 10'000'000'000'000'000'000u, ctx);
    check_unsigned("num('18446744073709551615')", u_max, ctx);
    check_unsigned("num(' +18446744073709551615 ')", u_max, ctx);
    CHECK(eval("u - v", ctx) == 1);
    CHECK(eval("u - v", ctx).is_number_integer());
    CHECK(eval("h - 1", ctx) == INT64_MAX);
    CHECK(eval("-h", ctx) == INT64_MIN);
    CHECK(eval("neg + h", ctx) == INT64_MAX);
    CHECK(eval("u % 10", ctx) == 5);
    CHECK(eval("u % h", ctx) == INT64_MAX);
    CHECK(eval("-7 % h", ctx) == -7);
    CHECK(eval("str(u)", ctx) == "18446744073709551615");
    CHECK(eval("u / 4", ctx) == 4611686018427387904.0);  // '/' is real division
    CHECK(eval("u / 4", ctx).is_number_float());
    CHECK(eval("u + 0.5", ctx) == 18446744073709551616.0);  // with a real: real arithmetic
    CHECK(eval("us[0] == u ? 'same' : 'differ'", ctx) == "same");
    check_error("u + 1", 2, "integer overflow in '+'", ctx);
    check_error("h * 2", 2, "integer overflow in '*'", ctx);
    check_error("u * u", 2, "integer overflow in '*'", ctx);
    check_error("neg - u", 4, "integer overflow in '-'", ctx);
    check_error("-u", 0, "integer overflow in '-'", ctx);
    check_error("sum(us)", 0, "integer overflow in sum", ctx);
    check_error("ceil(two64)", 0, "ceil result is out of integer range", ctx);
  }

  TEST_CASE("integer literals up to 2^64 - 1 are exact, larger ones an error at their place") {
    const Context ctx;
    check_unsigned("18446744073709551615", u_max, ctx);
    check_unsigned("9223372036854775808", two_to_63, ctx);
    CHECK(eval("18446744073709551615 == 18446744073709551614") == false);
    CHECK(eval("18446744073709551615 > 18446744073709551614") == true);
    CHECK(eval("-9223372036854775808") == INT64_MIN);
    CHECK(eval("-9223372036854775808").is_number_integer());
    CHECK(eval("- -9223372036854775808") == two_to_63);
    CHECK(eval("[18446744073709551615, -9223372036854775808]") == Json::array({u_max, INT64_MIN}));
    check_parse_error("18446744073709551616", 0, "integer literal out of range");
    check_parse_error("1 + -18446744073709551615", 4, "integer literal out of range");
    check_parse_error("-9223372036854775809", 0, "integer literal out of range");
  }
}
