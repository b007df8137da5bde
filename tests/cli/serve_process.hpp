#pragma once

// `lgraph serve` as a child process: started with stdout on a pipe (its first line names the
// port), stderr to a file, stopped by a signal.

#include "cli/lgraph_process.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace lg::test {

class ServeProcess {
 public:
  /// Starts `lgraph serve ARGS...` and reads its first line (`listening on ADDRESS:PORT`).
  explicit ServeProcess(const std::vector<std::string>& args) {
    int out[2];
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    err_file_ = (logs_ / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<std::string> storage{LGRAPH_PATH, "serve"};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : storage) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, LGRAPH_PATH, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    REQUIRE(spawned == 0);
    out_ = out[0];
    first_line_ = read_line();
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  [[nodiscard]] const std::string& first_line() const { return first_line_; }
  /// The port the first line names (0 when it names none).
  [[nodiscard]] std::uint16_t port() const {
    const std::size_t colon = first_line_.rfind(':');
    return colon == std::string::npos
               ? 0
               : static_cast<std::uint16_t>(std::stoi(first_line_.substr(colon + 1)));
  }
  void signal(int number) const { ::kill(pid_, number); }
  /// Waits for the process; its exit code (128 + signal when killed).
  int wait() {
    int status = 0;
    REQUIRE(::waitpid(pid_, &status, 0) == pid_);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  [[nodiscard]] std::string err() const { return read_text(err_file_); }

 private:
  std::string read_line() const {
    std::string line;
    char c = 0;
    while (::read(out_, &c, 1) == 1 && c != '\n') {
      line += c;
    }
    return line;
  }

  TempDir logs_;
  std::string err_file_;
  pid_t pid_ = -1;
  int out_ = -1;
  std::string first_line_;
};

}  // namespace lg::test
