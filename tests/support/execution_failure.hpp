#pragma once

#include <logic_graph/engine/exec/executor.hpp>

#include <doctest/doctest.h>

namespace lg::test {

/// The ExecutionError of running `executor` on `input` (fails the test when it succeeds).
inline ExecutionError failure(Executor& executor, nlohmann::json input = nullptr) {
  try {
    executor.run(std::move(input));
  } catch (const ExecutionError& e) {
    return e;
  }
  FAIL("the execution did not fail");
  return ExecutionError(ExecutionError::Kind::node_failed, "", "");
}

}  // namespace lg::test
