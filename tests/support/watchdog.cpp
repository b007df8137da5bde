// A hang must fail the run with its place, not use up CI's time limit in silence: this doctest
// listener watches the test case that is running and, once it has run longer than
// LG_TEST_CASE_TIMEOUT seconds (default 600: the slowest case takes 20 s under ASan here),
// prints its name, every thread's stack (through gdb, when the machine has it) and exits 124.

#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace {

class Watchdog final : public doctest::IReporter {
 public:
  explicit Watchdog(const doctest::ContextOptions&) {}

  void test_run_start() override {
    const char* limit = std::getenv("LG_TEST_CASE_TIMEOUT");
    limit_ = std::chrono::seconds(limit != nullptr ? std::atoi(limit) : 600);
    if (limit_.count() > 0) {
      thread_ = std::thread([this] { watch(); });
    }
  }
  void test_run_end(const doctest::TestRunStats&) override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  void test_case_start(const doctest::TestCaseData& data) override {
    std::lock_guard lock(mutex_);
    running_ = std::string(data.m_name) + " (" + data.m_file.c_str() + ":" +
               std::to_string(data.m_line) + ")";
    started_ = std::chrono::steady_clock::now();
  }
  void test_case_end(const doctest::CurrentTestCaseStats&) override {
    std::lock_guard lock(mutex_);
    running_.clear();
  }

  void report_query(const doctest::QueryData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::seconds(1));
      if (!running_.empty() && std::chrono::steady_clock::now() - started_ > limit_) {
        std::fprintf(stderr, "\nwatchdog: test case %s has run for more than %lld s\n",
                     running_.c_str(), static_cast<long long>(limit_.count()));
        const std::string stacks = "command -v gdb >/dev/null && gdb -batch -nx -p " +
                                   std::to_string(::getpid()) +
                                   " -ex 'thread apply all bt' 1>&2 2>/dev/null";
        std::fflush(stderr);
        [[maybe_unused]] const int ignored = std::system(stacks.c_str());
        std::_Exit(124);
      }
    }
  }

  std::chrono::seconds limit_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::string running_;
  std::chrono::steady_clock::time_point started_;
  std::thread thread_;
};

}  // namespace

DOCTEST_REGISTER_LISTENER("watchdog", 1, Watchdog);
