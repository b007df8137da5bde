#pragma once

#include <exception>

namespace lg::detail {

// Errors the engine may need when memory has run out, made once at start-up.

/// ExecutionError (node_failed): out of memory, while running the engine's own bookkeeping.
[[nodiscard]] const std::exception_ptr& out_of_memory_error() noexcept;
/// ExecutionError (cancelled): the executor the execution ran on was shut down under it.
[[nodiscard]] const std::exception_ptr& abandoned_error() noexcept;
/// ExecutionError (cancelled): a child graph's parent execution stopped.
[[nodiscard]] const std::exception_ptr& parent_stopped_error() noexcept;
/// ExecutionError (cancelled): through the handler's cancellation slot, no room to say more.
[[nodiscard]] const std::exception_ptr& cancelled_error() noexcept;
/// boost::system::system_error (operation_aborted): what a TaskNode's wait on Asio throws when
/// the execution stopped before the wait began (as a cancelled Asio wait does).
[[nodiscard]] const std::exception_ptr& operation_aborted_error() noexcept;

}  // namespace lg::detail
