#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace lg::cli {

/// Exit codes shared by every command.
enum ExitCode : int {
  exit_ok = 0,       ///< the command did what was asked
  exit_failed = 1,   ///< the graph ran and an execution failed (or output could not be written)
  exit_invalid = 2,  ///< bad arguments, an invalid graph or invalid input: nothing ran
};

/// One subcommand: its parser and what to do when it was chosen.
struct Command {
  /// The subcommand's parser, owned by the parent CLI::App.
  CLI::App* app = nullptr;
  /// Runs the command with the options parsed into it; returns the exit code.
  std::function<int()> run;
};

/// `lgraph run GRAPH [--input JSON|@FILE] [--threads N] [--trace FILE] [--profile]`.
Command add_run_command(CLI::App& parent);
/// `lgraph validate GRAPH...`.
Command add_validate_command(CLI::App& parent);
/// `lgraph dot GRAPH`.
Command add_dot_command(CLI::App& parent);
/// `lgraph profile GRAPH --repeat N [--concurrency C] [--threads N] [--input ...]`.
Command add_profile_command(CLI::App& parent);
/// `lgraph eval EXPR [--input JSON] [--dialect native|zen] [--unary]`.
Command add_eval_command(CLI::App& parent);
/// `lgraph serve --graphs DIR [--port P] [--bind ADDRESS] [--threads N] [limits...]`.
Command add_serve_command(CLI::App& parent);

}  // namespace lg::cli
