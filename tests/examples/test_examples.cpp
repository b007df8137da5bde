// Runs every example program and checks what it prints: the examples are documentation, and
// documentation that no longer runs is worse than none.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

#ifndef LG_EXAMPLES_DIR
#error "LG_EXAMPLES_DIR must name the directory holding the example programs"
#endif

namespace {

/// What a finished example left behind.
struct RunResult {
  int exit_code = -1;  ///< -1 when the program did not exit normally (killed by a signal)
  std::string output;  ///< stdout and stderr, interleaved as written
};

/// Runs `example_<name>` from LG_EXAMPLES_DIR and collects its output.
RunResult run_example(std::string_view name) {
  // fmt, not operator+: GCC 12 at -O3 warns falsely (-Wstringop-overflow) on "..." + string.
  const std::string command = fmt::format("'{}/example_{}' 2>&1", LG_EXAMPLES_DIR, name);
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE_MESSAGE(pipe != nullptr, "cannot start " << command);

  RunResult result;
  std::array<char, 4096> buffer{};
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    result.output.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

/// True when `output` has a line that starts with `prefix`.
bool has_line_starting(const std::string& output, std::string_view prefix) {
  std::size_t start = 0;
  while (start < output.size()) {
    const std::size_t end = output.find('\n', start);
    const std::string_view line =
        std::string_view{output}.substr(start, end == std::string::npos ? end : end - start);
    if (line.starts_with(prefix)) {
      return true;
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return false;
}

/// Runs `name`, checks that it succeeded and hands back its output.
std::string checked_output(std::string_view name) {
  const RunResult run = run_example(name);
  INFO("output of example_", name, ":\n", run.output);
  REQUIRE(run.exit_code == 0);
  return run.output;
}

/// Checks that `output` has a line starting with each of `prefixes`; a miss prints them all.
void check_lines(const std::string& output, std::initializer_list<std::string_view> prefixes) {
  INFO("output:\n", output);
  for (const std::string_view prefix : prefixes) {
    CAPTURE(prefix);
    CHECK(has_line_starting(output, prefix));
  }
}

}  // namespace

TEST_SUITE("examples") {
  TEST_CASE("pool_basics: lease, explicit release, custom config") {
    const std::string out = checked_output("pool_basics");
    check_lines(out, {"key = value", "Idle after scope exit: 1", "Reused context is empty: true",
                      R"(user = {"id":42,"name":"ada"})", "Idle after release: 1",
                      "Custom pool: max_pooled=200, initial_capacity=32, context capacity=32",
                      "Default pool: acquired=2, created=1, reused=1"});
  }

  TEST_CASE("pool_stats: exact figures after a fixed sequence") {
    const std::string out = checked_output("pool_stats");
    check_lines(out, {"Total acquired: 100", "Reused: 90", "Created: 10", "Current pool size: 10",
                      "Peak pool size: 10", "Reuse rate: 90.00%", "pool.reuse_rate(): 90.00%"});
  }

  TEST_CASE("pool_threads: one shared pool, four threads" * doctest::timeout(60)) {
    const std::string out = checked_output("pool_threads");
    check_lines(out, {"Threads: 4 x 1000 acquisitions", "Total acquired: 4000",
                      "Reused + created == total: yes"});
  }

  TEST_CASE("allocation_tracker: measured figures, on stop() and on scope exit") {
    const std::string out = checked_output("allocation_tracker");
    check_lines(out, {"Counting allocations: true", "[my_operation] Allocations: ",
                      "Words built: 1000", "At least one allocation per word: true",
                      "Still in use afterwards: true", "[scoped_operation] Allocations: "});
  }

  TEST_CASE("profiler: profile and profile_async" * doctest::timeout(60)) {
    const std::string out = checked_output("profiler");
    check_lines(out, {"[expensive_operation] Δ Allocations: +1, Δ Bytes: +", "Vector size: 1000000",
                      "[async_operation] Δ Allocations: ", "Async result: 42"});
  }

  TEST_CASE("snapshots: diff of two snapshots") {
    const std::string out = checked_output("snapshots");
    check_lines(out, {"Δ Allocations: +", "Entries: 1000",
                      "Two allocations per entry (node and string): true", "Memory: allocations "});
  }

  TEST_CASE("budget: within budget, then exceeded with a clear error") {
    const std::string out = checked_output("budget");
    check_lines(
        out, {"Limit: 16 MiB", "Within budget: yes", "check(): memory budget exceeded: ",
              "enforce() threw: memory budget exceeded: ", "After freeing, within budget: true"});
    // The message names the limit, in MB and in bytes.
    CHECK(out.find("limit 16.00 MB (16777216 bytes)") != std::string::npos);
  }

  TEST_CASE("high_throughput: the founding guide's complete example" * doctest::timeout(60)) {
    const std::string out = checked_output("high_throughput");
    check_lines(out,
                {"[process_batch] Allocations: ", "[high_throughput_processing] Δ Allocations: ",
                 "Total acquired: 10000", "Reused: 9900", "Created: 100", "Reuse rate: 99.00%"});
  }

  TEST_CASE("running_graphs: blocking, a future, a coroutine, a trace" * doctest::timeout(60)) {
    const std::string out = checked_output("running_graphs");
    check_lines(
        out, {"discount 0.1", "from a future: price executed", "from a coroutine: price executed",
              "trace: validate executed read 1 key(s), result true",
              R"(trace: price executed read 1 key(s), result {"discount":0.1})",
              "executions: 4 (0 failed)"});
  }

  TEST_CASE("request_timeout: the quick request done, the slow one cancelled" *
            doctest::timeout(60)) {
    const std::string out = checked_output("request_timeout");
    check_lines(out, {"quick: done, 1 node(s) ran", "slow: timed out; the execution was cancelled",
                      "in flight afterwards: 0"});
  }

  TEST_CASE("node_types: a node, a coroutine node, a wrapper, a task, a refused config" *
            doctest::timeout(60)) {
    const std::string out = checked_output("node_types");
    check_lines(out, {"hi: welcome, ada", "greeted: ada", "wait: 5 ms, attempts 1",
                      "with a name: hello, ada, without: nobody, greeted kept: 0",
                      "refused: graph: nodes[0] (id 'x'): field 'node.seconds': not a field of "
                      "type 'pause'",
                      "stopped: deadline"});
  }

  TEST_CASE("shared_runtime: a hot reload, then a shutdown" * doctest::timeout(60)) {
    const std::string out = checked_output("shared_runtime");
    std::size_t finished = 0;
    for (std::size_t at = out.find("old version: ok 1"); at != std::string::npos;
         at = out.find("old version: ok 1", at + 1)) {
      ++finished;
    }
    CHECK(finished == 10);  // every execution of the replaced executor finished, and well
    check_lines(out, {"after shutdown: rejected", "in flight: 0"});
  }

  TEST_CASE("embedded_service: a request answered by the router, then a shutdown" *
            doctest::timeout(60)) {
    check_lines(checked_output("embedded_service"), {R"(200 {"adult":true,"age":20})"});
  }

  TEST_CASE("jdm_decisions: a JDM model with a sub-decision from a loader, three at once") {
    const std::string out = checked_output("jdm_decisions");
    check_lines(out, {R"({"country":"US","fee":4.99,"tax":{"amount":0,"rate":0},"weight":1.5})",
                      R"({"country":"CA","fee":9.99,"tax":{"amount":1.3,"rate":0.13},"weight":6})",
                      R"({"country":"FR","fee":19.9,"tax":{"amount":0,"rate":0},"weight":3})"});
  }

  TEST_CASE("zen_expressions: decimals, a unary cell, a zoned date, an error") {
    const std::string out = checked_output("zen_expressions");
    check_lines(out,
                {"total: 5.3", "US matches: true", "150 matches: true", "due: \"2024-07-04 18:30\"",
                 "error: at 4 in ''x' + 1': '+' needs numbers, not string and number"});
  }
}
