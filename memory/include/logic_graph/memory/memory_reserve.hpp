#pragma once

#include <atomic>
#include <cstddef>

namespace lg::memory {

namespace detail {
extern constinit std::atomic<bool> memory_low_flag;
}  // namespace detail

/// Sets `bytes` aside for when the heap runs out, so that running out of memory fails work
/// instead of aborting the process.
///
/// C++ code cannot survive every failed allocation: some libraries allocate inside destructors
/// (nlohmann::json does, to destroy nested values without recursion), and a std::bad_alloc there
/// terminates the process. With a reserve, the first allocation that fails is served after the
/// reserve is given back to the heap (through std::set_new_handler), and memory_low() turns
/// true: the executor then fails executions ("out of memory") before their next node, and
/// starts none, until restore_memory_reserve() gets the reserve back. A second failure while the
/// reserve is spent throws std::bad_alloc as usual. lgraph keeps 4 MiB aside; a library user calls
/// this once at start-up. Replaces the process's new-handler.
void reserve_memory(std::size_t bytes);

/// True after the reserve was spent and until it is restored (one load: executors read it
/// before every node).
[[nodiscard]] inline bool memory_low() noexcept {
  return detail::memory_low_flag.load(std::memory_order_acquire);
}

/// Takes the reserve back from the heap; false (and memory_low() stays true) while the heap
/// cannot give it.
bool restore_memory_reserve() noexcept;

/// True when work may start: the reserve was never spent, or it is back now.
[[nodiscard]] inline bool reserve_in_place() noexcept {
  return !memory_low() || restore_memory_reserve();
}

}  // namespace lg::memory
