#include "command.hpp"
#include "errors.hpp"
#include "input.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace lg::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> graphs;
};

// Every check an execution would meet before its first node: structure, then node types,
// configs and edge conditions, which only building an executor checks. The executor runs on an
// io_context that is never run, so validating starts no thread.
int validate_one(const std::string& path) {
  try {
    const GraphDef graph = load_graph(path);
    boost::asio::io_context idle;
    const Executor executor{graph, builtin_nodes(), {.executor = idle.get_executor()}};
    write_stdout(fmt::format("{}: ok\n", display_name(path)));
    return exit_ok;
  } catch (...) {
    return report_exception(std::current_exception());
  }
}

int validate(const ValidateOptions& options) {
  int exit_code = exit_ok;
  for (const std::string& path : options.graphs) {
    exit_code = std::max(exit_code, validate_one(path));
  }
  try {
    flush_stdout();
  } catch (...) {
    exit_code = std::max(exit_code, report_exception(std::current_exception()));
  }
  return exit_code;
}

}  // namespace

Command add_validate_command(CLI::App& parent) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* app = parent.add_subcommand("validate", "Check graph files without running them");
  app->footer(
      "Checks structure, node types, configs and edge conditions. Prints 'FILE: ok' per valid\n"
      "file on stdout and every problem on stderr, one a line.\n"
      "Exit code 0 when every file is valid, 2 otherwise.");
  app->add_option("graphs", options->graphs, "Graph files (JSON, or YAML when named .yaml or .yml)")
      ->required()
      ->type_name("FILE...");
  return {app, [options] { return validate(*options); }};
}

}  // namespace lg::cli
