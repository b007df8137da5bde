#pragma once

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lg {

/// Why a node did not produce a result, as wrappers (try, retry, fallbacks) need to tell apart:
/// the node failed, ran out of time, or was cancelled. Keeps the original exception as cause().
///
/// NodeScope::run() throws it for an inner node that fails; to_node_error() makes one from any
/// exception (a node's own, an Asio operation_aborted, a child graph's ExecutionError).
class NodeError : public std::runtime_error {
 public:
  enum class Kind : std::uint8_t {
    failed,     ///< the node threw, or a child graph it ran failed
    timed_out,  ///< a time limit ran out (a timeout wrapper, a child graph's deadline)
    cancelled,  ///< the execution was cancelled or stopped while the node ran
  };

  NodeError(Kind kind, std::string node_id, const std::string& message,
            std::exception_ptr cause = nullptr)
      : std::runtime_error(message),
        kind_(kind),
        node_id_(std::move(node_id)),
        cause_(std::move(cause)) {}

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// The node that failed.
  [[nodiscard]] const std::string& node_id() const noexcept { return node_id_; }
  /// The exception the node threw (null when this error is the first cause).
  [[nodiscard]] const std::exception_ptr& cause() const noexcept { return cause_; }

 private:
  Kind kind_;
  std::string node_id_;
  std::exception_ptr cause_;
};

/// `"failed"`, `"timed_out"`, `"cancelled"`.
[[nodiscard]] std::string_view to_string(NodeError::Kind kind) noexcept;

/// What `error` means for node `node_id`: a NodeError as it is; Asio's operation_aborted as
/// cancelled; a child graph's ExecutionError by its kind (deadline: timed_out; cancelled:
/// cancelled; else failed); anything else (not only std::exception) as failed. The message is
/// the cause's.
[[nodiscard]] NodeError to_node_error(const std::exception_ptr& error, std::string_view node_id);

}  // namespace lg
