// libFuzzer target for the expression language: any input must either parse or throw
// ExpressionError, and anything that parses must evaluate to a value or throw ExpressionError.
// Any other exception escapes to libFuzzer and is reported as a crash, as are sanitizer
// findings and a test() that disagrees with the truthiness of evaluate().

#include <logic_graph/engine/expr/expression.hpp>

#include <logic_graph/engine/context/context.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

const lg::Context& fixed_context() {
  static const lg::Context ctx = [] {
    lg::Context c;
    c.set("order", nlohmann::json::parse(R"({
      "total": 120, "items": 3, "tier": "gold", "rate": 0.5,
      "tags": ["new", "vip", "a\\b\"c"],
      "lines": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 1.5}],
      "key with space": 7, "nothing": null, "empty": {}, "none": []
    })"));
    c.set("x", "gold");
    c.set("i", 1);
    c.set("neg", -9223372036854775807LL - 1);
    c.set("huge", 18446744073709551615ULL);
    c.set("f", 1.0e308);
    c.set("t", true);
    c.set("n", nullptr);
    c.set("bad", std::string("\xff\xfe"));  // invalid UTF-8 must not make str() throw
    return c;
  }();
  return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const lg::Expression expression = lg::Expression::parse(text);
    if (expression.text() != text) {
      std::abort();
    }
    (void)expression.referenced_keys();
    const lg::Context& ctx = fixed_context();
    const nlohmann::json value = expression.evaluate(ctx);
    if (expression.test(ctx) != lg::truthy(value)) {
      std::abort();
    }
  } catch (const lg::ExpressionError&) {
    // Rejected input or a run-time error: both are expected outcomes.
  }
  return 0;
}
