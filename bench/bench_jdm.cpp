// JDM decision models, timed the way bench/zen/bench_jdm.mjs times ZEN's Node binding on the
// same files: one decision after another (ns per decision), and 64 decisions in flight on the
// executor's 2 threads (decisions per second); each as the decision (a ZEN value, as ZEN's own
// engine returns its result) and with that result converted to nlohmann::json (as the binding
// converts ZEN's to JavaScript objects). Prints JSON for bench/run_jdm.sh:
//   {"NAME": {"sequential_ns": [...], "sequential_json_ns": [...], "rate_64": [...],
//             "rate_64_json": [...], "result": {...}}, ...}
//
//   bench_jdm FIXTURES_DIR MANIFEST.json REPETITIONS SECONDS_EACH

#include <logic_graph/logic_graph.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

std::atomic<std::size_t> sink{0};

// One decision; with `json`, its result converted to JSON too.
void decide(const lg::ExecutionResult& result, const lg::GraphDef& model, bool json) {
  const lg::zen::SharedValue* decision = lg::jdm::decision(result, model);
  if (decision == nullptr) {
    throw std::runtime_error("no decision");
  }
  if (json) {
    const Json out = decision->to_json();
    sink.fetch_add(out.size(), std::memory_order_relaxed);  // used: not optimised away
  }
}

double sequential_ns(lg::Executor& executor, const lg::GraphDef& model, const Json& input,
                     bool json, double seconds) {
  std::uint64_t done = 0;
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  auto now = start;
  while (now < until) {
    for (int i = 0; i < 64; ++i) {
      decide(executor.run(input), model, json);
    }
    done += 64;
    now = Clock::now();
  }
  return std::chrono::duration<double, std::nano>(now - start).count() / static_cast<double>(done);
}

// Keeps `in_flight` decisions going until `seconds` have passed; decisions per second.
double rate(lg::Executor& executor, const lg::GraphDef& model, const Json& input, bool json,
            int in_flight, double seconds) {
  std::mutex mutex;
  std::condition_variable idle;
  int running = 0;
  std::atomic<std::uint64_t> done{0};
  std::atomic<bool> failed{false};
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  std::function<void()> launch = [&] {
    executor.async_execute(input, [&](std::exception_ptr error, lg::ExecutionResult result) {
      if (error) {
        failed = true;
      } else {
        decide(result, model, json);
      }
      done.fetch_add(1, std::memory_order_relaxed);
      if (Clock::now() < until && !failed) {
        launch();
        return;
      }
      const std::lock_guard lock(mutex);
      if (--running == 0) {
        idle.notify_one();
      }
    });
  };
  const auto start = Clock::now();
  {
    const std::lock_guard lock(mutex);
    running = in_flight;
  }
  for (int i = 0; i < in_flight; ++i) {
    launch();
  }
  std::unique_lock lock(mutex);
  idle.wait(lock, [&] { return running == 0; });
  if (failed) {
    throw std::runtime_error("a decision failed");
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(done.load()) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: bench_jdm FIXTURES_DIR MANIFEST.json REPETITIONS SECONDS_EACH\n";
    return 2;
  }
  try {
    const std::filesystem::path fixtures = argv[1];
    const Json manifest = Json::parse(std::ifstream(argv[2]));
    const int repetitions = std::atoi(argv[3]);
    const double seconds = std::atof(argv[4]);
    auto runtime = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 2});
    Json out = Json::object();
    for (const Json& entry : manifest) {
      if (entry.value("kind", "") != "graph") {
        continue;  // ZEN's "policy" documents are another format
      }
      const lg::GraphDef model = lg::GraphDef::load(fixtures / entry.at("file").get<std::string>());
      lg::Executor executor{model, lg::builtin_nodes(), {.runtime = runtime}};
      const Json& input = entry.at("input");
      Json& row = out[entry.at("name").get<std::string>()];
      row["result"] = lg::jdm::decision(executor.run(input), model)->to_json();
      for (int r = 0; r < repetitions; ++r) {
        row["sequential_ns"].push_back(sequential_ns(executor, model, input, false, seconds));
        row["sequential_json_ns"].push_back(sequential_ns(executor, model, input, true, seconds));
        row["rate_64"].push_back(rate(executor, model, input, false, 64, seconds));
        row["rate_64_json"].push_back(rate(executor, model, input, true, 64, seconds));
      }
    }
    std::cout << out.dump() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "bench_jdm: " << e.what() << '\n';
    return 1;
  }
}
