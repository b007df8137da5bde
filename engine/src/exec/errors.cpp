#include "exec/errors.hpp"

#include <logic_graph/engine/exec/execution_error.hpp>
#include <logic_graph/engine/node/node_error.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <new>

namespace lg {
namespace {
using Kind = ExecutionError::Kind;
}  // namespace

namespace detail {
namespace {

// Namespace scope: made while the program starts, before any execution can run out of memory.
const std::exception_ptr out_of_memory =
    std::make_exception_ptr(ExecutionError(Kind::node_failed, "", "out of memory"));
const std::exception_ptr abandoned_execution = std::make_exception_ptr(ExecutionError(
    Kind::cancelled, "",
    "execution abandoned: the executor it ran on was shut down while it was in flight"));
const std::exception_ptr parent_stopped = std::make_exception_ptr(
    ExecutionError(Kind::cancelled, "", "cancelled: the parent execution stopped"));
const std::exception_ptr cancelled =
    std::make_exception_ptr(ExecutionError(Kind::cancelled, "", "execution cancelled"));
const std::exception_ptr operation_aborted =
    std::make_exception_ptr(boost::system::system_error(boost::asio::error::operation_aborted));

}  // namespace

const std::exception_ptr& out_of_memory_error() noexcept {
  return out_of_memory;
}
const std::exception_ptr& abandoned_error() noexcept {
  return abandoned_execution;
}
const std::exception_ptr& parent_stopped_error() noexcept {
  return parent_stopped;
}
const std::exception_ptr& cancelled_error() noexcept {
  return cancelled;
}
const std::exception_ptr& operation_aborted_error() noexcept {
  return operation_aborted;
}

}  // namespace detail

std::string describe(const std::exception_ptr& error) {
  if (!error) {
    return {};
  }
  try {
    std::rethrow_exception(error);
  } catch (const std::bad_alloc&) {
    return "out of memory";
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

std::string_view to_string(ExecutionError::Kind kind) noexcept {
  switch (kind) {
    case Kind::node_failed:
      return "node_failed";
    case Kind::cancelled:
      return "cancelled";
    case Kind::deadline:
      return "deadline";
    case Kind::budget_exceeded:
      return "budget_exceeded";
    case Kind::rejected:
      return "rejected";
  }
  return "unknown";
}

std::string_view to_string(NodeError::Kind kind) noexcept {
  switch (kind) {
    case NodeError::Kind::failed:
      return "failed";
    case NodeError::Kind::timed_out:
      return "timed_out";
    case NodeError::Kind::cancelled:
      return "cancelled";
  }
  return "unknown";
}

NodeError to_node_error(const std::exception_ptr& error, std::string_view node_id) {
  const std::string id(node_id);
  try {
    std::rethrow_exception(error);
  } catch (const NodeError& e) {
    return e;
  } catch (const ExecutionError& e) {
    const NodeError::Kind kind = e.kind() == Kind::deadline    ? NodeError::Kind::timed_out
                                 : e.kind() == Kind::cancelled ? NodeError::Kind::cancelled
                                                               : NodeError::Kind::failed;
    return NodeError(kind, id, e.what(), error);
  } catch (const boost::system::system_error& e) {
    const bool aborted = e.code() == boost::asio::error::operation_aborted;
    return NodeError(aborted ? NodeError::Kind::cancelled : NodeError::Kind::failed, id, e.what(),
                     error);
  } catch (...) {
    return NodeError(NodeError::Kind::failed, id, describe(error), error);
  }
}

}  // namespace lg
