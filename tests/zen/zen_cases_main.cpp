// lg_zen_cases: runs files of ZEN's expression cases (`expression;input;output`, see
// support/zen_cases.hpp) through lg::zen::Expression and reports every case that differs.
// Usage: lg_zen_cases [--unary] FILE...   (a file whose name holds "unary" is read as unary
// tests anyway). Exit code 0 when every case matches, 1 otherwise, 2 on unreadable files.

#include "support/zen_cases.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/zen_expression.hpp>

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Tally {
  std::size_t passed = 0;
  std::size_t total = 0;
};

Tally run_file(const std::string& path, bool unary) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(fmt::format("{}: cannot open", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  Tally tally;
  const auto mode = unary ? lg::zen::Mode::unary : lg::zen::Mode::standard;
  for (const auto& c : lg::test::read_zen_cases(text.str())) {
    ++tally.total;
    std::string got;
    try {
      const auto value = lg::zen::Expression::parse(c.expression, mode).evaluate(c.input);
      if (lg::test::zen_equal(value, c.expected)) {
        ++tally.passed;
        continue;
      }
      got = value.dump();
    } catch (const std::exception& e) {
      got = fmt::format("error: {}", e.what());
    }
    fmt::print("{}:{}: {}  expected {}, got {}\n", path, c.line, c.expression, c.expected.dump(),
               got);
  }
  return tally;
}

}  // namespace

int main(int argc, char** argv) {
  bool unary = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--unary") {
      unary = true;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    fmt::print(stderr, "usage: lg_zen_cases [--unary] FILE...\n");
    return 2;
  }
  bool all = true;
  try {
    for (const auto& f : files) {
      const Tally t = run_file(f, unary || f.find("unary") != std::string::npos);
      fmt::print("{}: {} of {} cases match ({:.1f}%)\n", f, t.passed, t.total,
                 t.total == 0
                     ? 100.0
                     : 100.0 * static_cast<double>(t.passed) / static_cast<double>(t.total));
      all = all && t.passed == t.total;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "lg_zen_cases: {}\n", e.what());
    return 2;
  }
  return all ? 0 : 1;
}
