// lgraph: runs, checks, draws and profiles logic-graph graphs. Each command lives in its own
// file; this one parses the arguments and turns every failure into one line and an exit code.

#include "command.hpp"
#include "errors.hpp"

#include <logic_graph/memory/memory_reserve.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <array>
#include <cstdio>
#include <string>

namespace {

using lg::cli::Command;

// The command the arguments chose, for the "see --help" hint.
std::string chosen_command(const CLI::App& app) {
  const auto chosen = app.get_subcommands();
  return chosen.empty() ? std::string("lgraph")
                        : fmt::format("lgraph {}", chosen.front()->get_name());
}

int parse_error(const CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(error);  // --help, --version: printed on stdout
  }
  const std::string command = chosen_command(app);
  std::string message = error.what();
  if (const auto rest = app.remaining();
      app.get_subcommands().empty() && !rest.empty() && !rest.front().starts_with('-')) {
    message = fmt::format("unknown command '{}'", rest.front());  // CLI11: "not expected"
  }
  message += fmt::format(" (see '{} --help')", command);
  lg::cli::print_error(message, command);
  return lg::cli::exit_invalid;
}

// `lgraph help [COMMAND]`.
Command add_help_command(CLI::App& app) {
  auto topic = std::make_shared<std::string>();
  CLI::App* help = app.add_subcommand("help", "Show help for lgraph or for one command");
  help->add_option("command", *topic, "The command to explain");
  return {help, [&app, topic] {
            if (topic->empty()) {
              // Not app.help(): once `help` is chosen, that describes the help command.
              lg::cli::write_stdout(
                  app.get_formatter()->make_help(&app, "lgraph", CLI::AppFormatMode::Normal));
              return lg::cli::exit_ok;
            }
            for (const CLI::App* command : app.get_subcommands({})) {
              if (command->get_name() == *topic) {
                lg::cli::write_stdout(command->help("lgraph"));
                return lg::cli::exit_ok;
              }
            }
            lg::cli::print_error(fmt::format("unknown command '{}' (see 'lgraph help')", *topic),
                                 "lgraph help");
            return lg::cli::exit_invalid;
          }};
}

int run_lgraph(int argc, char** argv) {
  CLI::App app{"lgraph: run, check, draw and profile logic-graph graphs (JSON DAGs)", "lgraph"};
  app.set_version_flag("--version", "lgraph " LG_VERSION);
  app.require_subcommand(0, 1);
  const std::array commands = {lg::cli::add_run_command(app),  lg::cli::add_validate_command(app),
                               lg::cli::add_dot_command(app),  lg::cli::add_profile_command(app),
                               lg::cli::add_eval_command(app), lg::cli::add_serve_command(app),
                               add_help_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return parse_error(app, error);
  }
  for (const Command& command : commands) {
    if (command.app->parsed()) {
      return command.run();
    }
  }
  std::fputs(app.help().c_str(), stderr);
  lg::cli::print_error("a command is required: run, validate, dot, profile, eval, serve or help");
  return lg::cli::exit_invalid;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // Running out of memory then fails the execution (exit 1, "out of memory") instead of
    // aborting inside a library's destructor.
    lg::memory::reserve_memory(std::size_t{4} << 20);
    return run_lgraph(argc, argv);
  } catch (...) {
    return lg::cli::report_exception(std::current_exception());
  }
}
