// The suite's watchdog (tests/support/watchdog.cpp) ends a test case that hangs, naming it:
// this suite runs itself on a case that never returns, with a one-second limit.

#include "lgraph_process.hpp"

#include <doctest/doctest.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>

TEST_SUITE("watchdog") {
  // Skipped in every normal run; the case below runs it in a process of its own.
  TEST_CASE("watchdog target: a case that never returns" * doctest::skip()) {
    std::mutex mutex;
    std::condition_variable never;
    std::unique_lock lock(mutex);
    never.wait(lock, [] { return false; });
  }

  TEST_CASE("a test case that hangs is ended after LG_TEST_CASE_TIMEOUT, named, exit 124") {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const lg::test::Outcome o = lg::test::run_program(
        "env", {"LG_TEST_CASE_TIMEOUT=1", self, "--no-skip=true", "--test-case=watchdog target*"});
    CHECK(o.exit_code == 124);
    CHECK(lg::test::contains(o.err,
                             "watchdog: test case watchdog target: a case that never "
                             "returns"));
  }
}
