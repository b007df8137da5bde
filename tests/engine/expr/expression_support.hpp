#pragma once

// Shared helpers of the expression tests: a sample context and error checks.

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/engine/expr/expression.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace lg::test {

using Json = nlohmann::json;

/// The context most expression tests read.
inline Context sample_context() {
  Context ctx;
  ctx.set("order", Json::parse(R"({
    "total": 120, "items": 3, "tier": "gold", "rate": 0.5,
    "tags": ["new", "vip"],
    "lines": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 1}],
    "key with space": 7,
    "nothing": null,
    "empty": {}
  })"));
  ctx.set("x", "gold");
  ctx.set("i", 1);
  ctx.set("k", "tier");
  ctx.set("validate", true);
  ctx.set("n", nullptr);
  ctx.set("price", 9.5);
  ctx.set("big", static_cast<std::uint64_t>(1) << 63);
  ctx.set("nums", Json::array({3, 1.5, -2, 10}));
  return ctx;
}

/// The value of `text` against `ctx`.
inline Json eval(std::string_view text, const Context& ctx = Context{}) {
  return Expression::parse(text).evaluate(ctx);
}

/// Checks that parsing (and then evaluating) `text` throws ExpressionError at `position` with
/// `reason` in the message.
inline void check_error(std::string_view text, std::size_t position, std::string_view reason,
                        const Context& ctx = Context{}) {
  CAPTURE(text);
  try {
    (void)Expression::parse(text).evaluate(ctx);
    FAIL("no error");
  } catch (const ExpressionError& e) {
    CHECK(e.position() == position);
    CHECK(e.expression() == text);
    const std::string what = e.what();
    CHECK_MESSAGE(what.find(reason) != std::string::npos, what);
    CHECK(what.starts_with("at " + std::to_string(position) + " in '"));
  }
}

/// Checks that `text` fails to parse (not at evaluation) at `position`.
inline void check_parse_error(std::string_view text, std::size_t position,
                              std::string_view reason) {
  CAPTURE(text);
  try {
    (void)Expression::parse(text);
    FAIL("parsed");
  } catch (const ExpressionError& e) {
    CHECK(e.position() == position);
    const std::string what = e.what();
    CHECK_MESSAGE(what.find(reason) != std::string::npos, what);
  }
}

}  // namespace lg::test
