#pragma once

#include <boost/asio/execution.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>

#include <type_traits>
#include <utility>

namespace lg::detail {

/// The executor under an asynchronous node's strand: an io_context's, whose every handler is a
/// continuation of the one running (Asio's relationship.continuation), whatever relationship was
/// asked for.
///
/// Why: co_spawn hands a coroutine's start and its completion to the strand with a post (a
/// fork), and an io_context puts a forked handler in the shared queue and wakes an idle thread
/// or the reactor for it: a futex or an eventfd write, and the node's next step waits for that
/// thread to get going, microseconds on a VM. As a continuation, a handler posted from one of
/// the io_context's threads goes to that thread's own queue and runs as soon as the handler that
/// posted it returns; from any other thread it is queued as before. The other threads stay free
/// for the execution's other nodes, which the engine hands out itself.
template <class Inner>
class FollowOnExecutor {
 public:
  explicit FollowOnExecutor(Inner inner) noexcept : inner_(std::move(inner)) {}

  template <class Property>
  auto query(const Property& property) const
      noexcept(noexcept(boost::asio::query(std::declval<const Inner&>(), property)))
          -> decltype(boost::asio::query(std::declval<const Inner&>(), property)) {
    return boost::asio::query(inner_, property);
  }

  template <class Property>
  auto require(const Property& property) const -> FollowOnExecutor<
      std::decay_t<decltype(boost::asio::require(std::declval<const Inner&>(), property))>> {
    return FollowOnExecutor<std::decay_t<decltype(boost::asio::require(inner_, property))>>(
        boost::asio::require(inner_, property));
  }

  template <class Property>
  auto prefer(const Property& property) const -> FollowOnExecutor<
      std::decay_t<decltype(boost::asio::prefer(std::declval<const Inner&>(), property))>> {
    return FollowOnExecutor<std::decay_t<decltype(boost::asio::prefer(inner_, property))>>(
        boost::asio::prefer(inner_, property));
  }

  template <class Function>
  void execute(Function&& function) const {
    boost::asio::require(inner_, boost::asio::execution::relationship.continuation)
        .execute(std::forward<Function>(function));
  }

  friend bool operator==(const FollowOnExecutor& a, const FollowOnExecutor& b) noexcept {
    return a.inner_ == b.inner_;
  }
  friend bool operator!=(const FollowOnExecutor& a, const FollowOnExecutor& b) noexcept {
    return !(a == b);
  }

 private:
  Inner inner_;
};

}  // namespace lg::detail
