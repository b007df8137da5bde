#pragma once

#include <logic_graph/engine/context/context_pool.hpp>
#include <logic_graph/engine/exec/impl/idle_wait.hpp>
#include <logic_graph/engine/observers/observer.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <typeinfo>
#include <vector>

namespace lg {

namespace detail {
class RuntimeState;
IdleWaiters& idle_waiters_of(RuntimeState& state) noexcept;
}  // namespace detail

/// How a Runtime runs.
struct RuntimeOptions {
  /// Threads of the runtime's own pool (0: one per core). With `executor`: how many threads
  /// run that executor (0: one), which bounds how many work on one execution at once.
  std::size_t threads = 0;
  /// Run on this executor (an io_context's, a thread_pool's) instead of an own pool.
  std::optional<boost::asio::any_io_executor> executor{};
  /// Where executions borrow their contexts (and nested scopes their write buffers); when empty,
  /// an own pool with room for 1024 idle contexts (so that executions in flight across threads
  /// find pooled ones).
  std::shared_ptr<ContextPool> context_pool{};
  /// Told about every execution on the runtime, before each executor's own observers.
  std::vector<std::shared_ptr<ExecutionObserver>> observers{};
  /// Executions in flight at most (0: no limit); beyond it async_execute completes at once
  /// with an ExecutionError of kind rejected.
  std::size_t max_inflight = 0;
};

/// The shared part of execution: threads (or an outside executor), pooled handler memory, the
/// ContextPool, runtime-wide observers and limits. One per process or service; any number of
/// Executors share it (ExecutorOptions::runtime), and one made without it gets its own.
///
/// Shutdown: shutdown() stops taking executions and waits for those in flight; cancel_all()
/// cancels them; async_wait_idle() completes once none is in flight. Executions and their
/// results keep the runtime alive; destroying the last handle to a runtime whose work is done
/// stops its threads.
///
/// @code
/// auto runtime = std::make_shared<lg::Runtime>(
///     lg::RuntimeOptions{.threads = 4, .max_inflight = 1000});
/// lg::Executor orders{orders_graph, registry, {.runtime = runtime}};
/// lg::Executor refunds{refunds_graph, registry, {.runtime = runtime}};
/// ...
/// runtime->shutdown();  // no new executions; waits for the ones in flight
/// @endcode
class Runtime {
 public:
  explicit Runtime(RuntimeOptions options = {});
  /// Stops taking executions and waits for its threads (executions still in flight keep what
  /// they need alive, but they cannot outlive the threads they run on: shutdown() first).
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// The executor nodes run on.
  [[nodiscard]] const boost::asio::any_io_executor& get_executor() const noexcept;
  /// The pool executions borrow contexts from.
  [[nodiscard]] ContextPool& context_pool() const noexcept;
  /// Threads that may work on one execution at once.
  [[nodiscard]] std::size_t concurrency() const noexcept;

  /// Executions started and not yet completed, on every executor of the runtime.
  [[nodiscard]] std::size_t in_flight() const noexcept;
  /// Cancels every execution in flight (each completes with kind cancelled).
  void cancel_all() noexcept;
  /// Completes `token` (`void()`) once no execution is in flight.
  template <class CompletionToken>
  auto async_wait_idle(CompletionToken&& token);
  /// Stops taking executions (new ones complete as rejected) and blocks until the ones in
  /// flight completed. Not from one of the runtime's own threads.
  void shutdown();
  /// False once shutdown() was called.
  [[nodiscard]] bool accepting() const noexcept;

  /// The object that every node on this runtime shares under `key` (a circuit's state, a
  /// cache): `make()` (giving a std::shared_ptr<T>) makes it on the first call, and later calls
  /// give the same one. Thread-safe. Throws std::logic_error when `key` holds another type.
  template <class T, class Make>
  [[nodiscard]] std::shared_ptr<T> shared(std::string_view key, Make&& make);

  /// For the engine: the runtime's machinery.
  [[nodiscard]] detail::RuntimeState& state() const noexcept { return *state_; }

 private:
  std::shared_ptr<void> shared_any(std::string_view key, const std::type_info& type,
                                   const std::function<std::shared_ptr<void>()>& make);

  std::unique_ptr<detail::RuntimeState> state_;
};

template <class T, class Make>
std::shared_ptr<T> Runtime::shared(std::string_view key, Make&& make) {
  return std::static_pointer_cast<T>(shared_any(
      key, typeid(T), [&]() -> std::shared_ptr<void> { return std::shared_ptr<T>(make()); }));
}

template <class CompletionToken>
auto Runtime::async_wait_idle(CompletionToken&& token) {
  return detail::async_wait_idle(detail::idle_waiters_of(*state_), get_executor(),
                                 std::forward<CompletionToken>(token));
}

}  // namespace lg
