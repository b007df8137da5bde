#pragma once

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lg {

/// Why an execution did not complete.
class ExecutionError : public std::runtime_error {
 public:
  enum class Kind : std::uint8_t {
    node_failed,      ///< a node threw (or its outgoing edge condition did)
    cancelled,        ///< cancelled: the handler's cancellation slot, cancel_all(), a parent
    deadline,         ///< ran past its deadline (ExecutionOptions or ExecutorOptions)
    budget_exceeded,  ///< memory in use went over the execution's memory budget
    rejected,         ///< not started: the runtime is at max_inflight or shutting down
  };

  ExecutionError(Kind kind, std::string node_id, const std::string& message,
                 std::exception_ptr cause = nullptr)
      : std::runtime_error(message),
        kind_(kind),
        node_id_(std::move(node_id)),
        cause_(std::move(cause)) {}

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// The node at fault: the one that failed, the one about to run when the budget ran out, or
  /// (cancelled, deadline) the first of the nodes that were running; empty when none was.
  [[nodiscard]] const std::string& node_id() const noexcept { return node_id_; }
  /// What the failed node threw (node_failed), for wrappers that look inside; else null.
  [[nodiscard]] const std::exception_ptr& cause() const noexcept { return cause_; }

 private:
  Kind kind_;
  std::string node_id_;
  std::exception_ptr cause_;
};

/// `"node_failed"`, `"cancelled"`, `"deadline"`, `"budget_exceeded"`, `"rejected"`.
[[nodiscard]] std::string_view to_string(ExecutionError::Kind kind) noexcept;

/// The message of the exception `error` holds (its what(), or a note when it is not a
/// std::exception): for completion handlers that receive a std::exception_ptr.
[[nodiscard]] std::string describe(const std::exception_ptr& error);

}  // namespace lg
