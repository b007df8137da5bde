#include "command.hpp"
#include "errors.hpp"
#include "input.hpp"

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/zen_expression.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace lg::cli {
namespace {

using Json = nlohmann::json;

enum class Dialect { native, zen };

struct EvalOptions {
  std::string expression;
  std::optional<std::string> input;
  Dialect dialect = Dialect::native;
  bool unary = false;
  std::optional<std::string> now;
};

Json evaluate(const EvalOptions& options, const Json& input) {
  if (options.dialect == Dialect::zen) {
    const auto mode = options.unary ? zen::Mode::unary : zen::Mode::standard;
    return zen::Expression::parse(options.expression, mode).evaluate(input);
  }
  Context context;
  for (const auto& [key, value] : input.items()) {
    context.set(key, value);
  }
  return Expression::parse(options.expression).evaluate(context);
}

int eval(const EvalOptions& options) {
  try {
    if (options.unary && options.dialect != Dialect::zen) {
      throw InputError("--unary reads ZEN's unary tests: use it with --dialect zen");
    }
    pin_now_option(options.now);
    const Json input = options.input ? parse_input(*options.input) : Json::object();
    Json value;
    try {
      value = evaluate(options, input);
    } catch (const ExpressionError& error) {
      print_error(error.what(), "lgraph eval");
      return exit_invalid;
    }
    write_stdout(value.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
    flush_stdout();
    return exit_ok;
  } catch (...) {
    return report_exception(std::current_exception());
  }
}

}  // namespace

Command add_eval_command(CLI::App& parent) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* app = parent.add_subcommand("eval", "Evaluate one expression and print its value");
  app->footer(
      "Prints the value as JSON on stdout (exit 0), or the error with its position on stderr\n"
      "(exit 2). --dialect zen reads GoRules ZEN's language (decimal numbers, closures,\n"
      "intervals); with --unary the expression is a decision-table cell testing the input's\n"
      "'$' key, e.g.  lgraph eval --dialect zen --unary \"[1..5)\" --input '{\"$\": 3}'");
  app->add_option("expression", options->expression, "The expression")->required();
  app->add_option("--input", options->input,
                  "The names the expression reads: a JSON object, or @FILE (@- for stdin)")
      ->type_name("JSON|@FILE");
  const std::map<std::string, Dialect> dialects{{"native", Dialect::native}, {"zen", Dialect::zen}};
  app->add_option("--dialect", options->dialect, "Expression language (default: native)")
      ->transform(CLI::CheckedTransformer(dialects, CLI::ignore_case))
      ->type_name("native|zen");
  app->add_flag("--unary", options->unary, "Read the expression as a unary test of '$' (zen)");
  app->add_option("--now", options->now,
                  "What d() and isToday() take as now (zen), e.g. 2024-01-31T10:00:00Z")
      ->type_name("INSTANT");
  return {app, [options] { return eval(*options); }};
}

}  // namespace lg::cli
