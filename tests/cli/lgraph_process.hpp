#pragma once

// Runs the built lgraph binary as a child process, with stdout and stderr captured apart.

#include "support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#ifndef LGRAPH_PATH
#error "LGRAPH_PATH must name the lgraph binary"
#endif

extern char** environ;

namespace lg::test {

namespace fs = std::filesystem;

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// How a run of lgraph ended.
struct Outcome {
  int exit_code = -1;  ///< 128 + signal when killed (a crash)
  std::string out;     ///< all of stdout
  std::string err;     ///< all of stderr

  /// stderr's lines, without their newlines.
  [[nodiscard]] std::vector<std::string> err_lines() const {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = err.find('\n', start)) != std::string::npos; start = end + 1) {
      lines.push_back(err.substr(start, end - start));
    }
    if (start < err.size()) {
      lines.push_back(err.substr(start));
    }
    return lines;
  }
};

/// Runs `lgraph args...` with stdin from `stdin_file` and waits for it. Output goes to files
/// rather than pipes, so that a large output cannot block the child while nobody reads it.
/// Runs `program` (found on PATH when it has no slash) with `args`, stdin from `stdin_file`,
/// and waits for it.
inline Outcome run_program(const std::string& program, const std::vector<std::string>& args,
                           const std::string& stdin_file = "/dev/null") {
  const TempDir dir;
  const std::string out_file = (dir / "stdout").string();
  const std::string err_file = (dir / "stderr").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_file.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::string name = program;
  std::vector<std::string> storage = args;
  std::vector<char*> argv{name.data()};
  for (std::string& arg : storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, name.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE_MESSAGE(spawned == 0, "cannot start " << program);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  Outcome outcome;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  outcome.out = read_text(out_file);
  outcome.err = read_text(err_file);
  return outcome;
}

/// Runs the lgraph binary under test.
inline Outcome lgraph(const std::vector<std::string>& args,
                      const std::string& stdin_file = "/dev/null") {
  return run_program(LGRAPH_PATH, args, stdin_file);
}

/// The input of graphs/order_flow.json that the CLI tests run it with.
inline const std::string order_input = R"({"order": {"total": 120, "items": 2}})";

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The repository's graphs/ folder (LG_SOURCE_DIR: the repository, defined by the build).
inline fs::path graphs_dir() {
  return fs::path(LG_SOURCE_DIR) / "graphs";
}

/// The path of `graphs/<name>`.
inline std::string graph(const std::string& name) {
  return (graphs_dir() / name).string();
}

}  // namespace lg::test
