#include "command.hpp"
#include "errors.hpp"

#include <logic_graph/service/server.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>

namespace lg::cli {
namespace {

struct ServeFlags {
  service::ServerOptions options;
  std::string graphs;
  std::uint64_t timeout_ms = 30'000;
  std::uint64_t idle_timeout_ms = 60'000;
  std::uint64_t read_timeout_ms = 10'000;
  std::uint64_t memory_budget = 0;
  bool no_watch = false;
};

int run(ServeFlags& flags) {
  try {
    std::error_code error;
    if (!std::filesystem::is_directory(flags.graphs, error)) {
      throw InputError(fmt::format("--graphs {}: not a folder", flags.graphs));
    }
    service::ServerOptions& options = flags.options;
    options.graphs_dir = flags.graphs;
    options.timeout = std::chrono::milliseconds(flags.timeout_ms);
    options.idle_timeout = std::chrono::milliseconds(flags.idle_timeout_ms);
    options.read_timeout = std::chrono::milliseconds(flags.read_timeout_ms);
    if (flags.memory_budget != 0) {
      options.memory_budget_bytes = flags.memory_budget;
    }
    options.watch = !flags.no_watch;
    return service::serve(options);
  } catch (...) {
    return report_exception(std::current_exception());
  }
}

}  // namespace

Command add_serve_command(CLI::App& parent) {
  auto flags = std::make_shared<ServeFlags>();
  service::ServerOptions& options = flags->options;
  CLI::App* app = parent.add_subcommand("serve", "Serve the graphs of a folder over HTTP");
  app->footer(
      "Endpoints: POST /v1/graphs/NAME/execute (the input as body; ?trace=1 adds the trace),\n"
      "GET /v1/graphs, GET /v1/graphs/NAME, GET /healthz, GET /readyz, GET /metrics.\n"
      "Prints 'listening on ADDRESS:PORT' first; SIGHUP or a changed file reloads the graphs;\n"
      "SIGINT or SIGTERM stops accepting, lets executions finish and exits 0.");
  app->add_option("--graphs", flags->graphs,
                  "Folder of graphs (.json, .yaml, .yml), each served under its file name")
      ->required()
      ->type_name("DIR");
  app->add_option("--port,-p", options.port, "Port to listen on (0: a free one)")
      ->type_name("P")
      ->default_val(8080);
  app->add_option("--bind", options.bind, "Address to listen on")
      ->type_name("ADDRESS")
      ->default_val("127.0.0.1");
  app->add_option("--threads,-t", options.threads,
                  "Threads for connections and executions (0: one per core)")
      ->type_name("N")
      ->check(CLI::Range(0, 1024));
  app->add_option("--max-inflight", options.max_inflight,
                  "Executions in flight at most; beyond, 503 with Retry-After (0: no limit)")
      ->type_name("N");
  app->add_option("--max-body", options.max_body_bytes, "Largest request body; beyond, 413")
      ->type_name("BYTES")
      ->default_val(options.max_body_bytes);
  app->add_option("--max-header", options.max_header_bytes, "Largest request header; beyond, 431")
      ->type_name("BYTES")
      ->default_val(options.max_header_bytes);
  app->add_option("--max-connections", options.max_connections,
                  "Connections open at once; beyond, 503 and closed")
      ->type_name("N")
      ->default_val(options.max_connections);
  app->add_option("--timeout-ms", flags->timeout_ms,
                  "An execution's deadline (504 past it) and the shutdown's grace period")
      ->type_name("MS")
      ->default_val(flags->timeout_ms);
  app->add_option("--idle-timeout-ms", flags->idle_timeout_ms,
                  "How long a kept-alive connection may wait for its next request")
      ->type_name("MS")
      ->default_val(flags->idle_timeout_ms);
  app->add_option("--read-timeout-ms", flags->read_timeout_ms,
                  "How long a request may take to arrive once begun (slow clients)")
      ->type_name("MS")
      ->default_val(flags->read_timeout_ms);
  app->add_option("--memory-budget", flags->memory_budget,
                  "Refuse executions (503) while heap memory in use is over this (0: none)")
      ->type_name("BYTES");
  app->add_flag("--access-log", options.access_log, "Log one line per request on stderr");
  app->add_flag("--no-watch", flags->no_watch, "Reload on SIGHUP only, not on file changes");
  return {app, [flags] { return run(*flags); }};
}

}  // namespace lg::cli
