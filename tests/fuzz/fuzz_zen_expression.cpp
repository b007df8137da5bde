// libFuzzer target for ZEN's expression language: any input, read both as a standard
// expression and as a unary test, must parse or throw ExpressionError, and whatever parses
// must evaluate to a value or throw ExpressionError. Any other exception escapes to libFuzzer
// and is reported as a crash, as are sanitizer findings.

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/zen_expression.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

const nlohmann::json& fixed_input() {
  static const nlohmann::json input = nlohmann::json::parse(R"({
    "$": 7, "a": 1.5, "s": "Hello, World!", "t": true, "n": null,
    "big": 79228162514264337593543950335, "tiny": 1e-30, "neg": -9223372036854775808,
    "items": [{"id": 1, "price": 10.25, "tags": ["x"]}, {"id": 2, "price": 0.1}],
    "customer": {"country": "GB", "age": 42, "joined": "2023-10-15T10:30:00Z"}
  })");
  return input;
}

void run(std::string_view text, lg::zen::Mode mode) {
  try {
    const auto expression = lg::zen::Expression::parse(text, mode);
    if (expression.text() != text) {
      std::abort();
    }
    (void)expression.evaluate(fixed_input());
  } catch (const lg::ExpressionError&) {
    // Rejected input or a run-time error: both are expected outcomes.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  run(text, lg::zen::Mode::standard);
  run(text, lg::zen::Mode::unary);
  return 0;
}
