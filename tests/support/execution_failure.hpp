#pragma once

#include <logic_graph/engine/exec/executor.hpp>

#include <doctest/doctest.h>

#include <exception>
#include <string>

namespace lg::test {

/// The ExecutionError of running `executor` on `input` (fails the test when it succeeds), with
/// `options` for the execution when given.
inline ExecutionError failure(Executor& executor, nlohmann::json input = nullptr,
                              const ExecutionOptions* options = nullptr) {
  try {
    if (options != nullptr) {
      executor.run(std::move(input), *options);
    } else {
      executor.run(std::move(input));
    }
  } catch (const ExecutionError& e) {
    return e;
  }
  FAIL("the execution did not fail");
  return ExecutionError(ExecutionError::Kind::node_failed, "", "");
}
inline ExecutionError failure(Executor& executor, nlohmann::json input,
                              const ExecutionOptions& options) {
  return failure(executor, std::move(input), &options);
}

/// The message of the ExecutionError of running `executor` on `input`.
inline std::string failure_message(Executor& executor, nlohmann::json input = nullptr) {
  return failure(executor, std::move(input)).what();
}

/// The kind of the ExecutionError in `error` (which must hold one).
inline ExecutionError::Kind kind_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const ExecutionError& e) {
    return e.kind();
  }
}

/// Whether `text` holds `part` (the text shown when it does not).
inline bool has(const std::string& text, const std::string& part) {
  INFO(text);
  return text.find(part) != std::string::npos;
}

}  // namespace lg::test
