#pragma once

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

namespace lg {

/// Why an execution did not complete.
class ExecutionError : public std::runtime_error {
 public:
  enum class Kind : std::uint8_t {
    node_failed,      ///< a node threw (or its outgoing edge condition did)
    cancelled,        ///< cancelled through the completion handler's cancellation slot
    deadline,         ///< ran past ExecutorOptions::deadline
    budget_exceeded,  ///< memory in use went over ExecutorOptions::memory_budget_bytes
  };

  ExecutionError(Kind kind, std::string node_id, const std::string& message)
      : std::runtime_error(message), kind_(kind), node_id_(std::move(node_id)) {}

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// The node at fault, or the node about to run when the execution stopped (may be empty).
  [[nodiscard]] const std::string& node_id() const noexcept { return node_id_; }

 private:
  Kind kind_;
  std::string node_id_;
};

/// The message of the exception `error` holds (its what(), or a note when it is not a
/// std::exception): for completion handlers that receive a std::exception_ptr.
[[nodiscard]] std::string describe(const std::exception_ptr& error);

}  // namespace lg
