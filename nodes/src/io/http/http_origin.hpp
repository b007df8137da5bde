#pragma once

#include "io/async_slots.hpp"
#include "io/http/http_connection.hpp"

#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lg::detail {

/// How many connections to one origin, and for how long an idle one is kept.
struct HttpPoolLimits {
  std::size_t max_connections = 64;  // open at once; more requests wait for one
  std::size_t max_idle = 64;         // kept open between requests
  std::chrono::milliseconds idle_timeout{30'000};
};

/// The connections of a runtime to one origin (scheme, host, port; with its TLS settings):
/// keep-alive connections are put back after a response and taken by the next request.
class HttpOrigin {
 public:
  HttpOrigin(std::shared_ptr<boost::asio::ssl::context> tls, HttpPoolLimits limits);
  HttpOrigin(const HttpOrigin&) = delete;
  HttpOrigin& operator=(const HttpOrigin&) = delete;

  /// The right to hold a connection: at most max_connections at once; released on destruction.
  class Slot {
   public:
    explicit Slot(AsyncSlots* slots) noexcept : slots_(slots) {}
    Slot(Slot&& other) noexcept : slots_(std::exchange(other.slots_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (slots_ != nullptr) {
        slots_->release();
      }
    }

   private:
    AsyncSlots* slots_;
  };
  /// A slot now, when one is free.
  [[nodiscard]] std::optional<Slot> try_reserve() noexcept;
  /// Waits (holding no thread) for a slot.
  boost::asio::awaitable<Slot> reserve();

  /// An idle connection still open and within its idle time, or nullptr.
  [[nodiscard]] std::unique_ptr<HttpConnection> take_idle();
  /// Keeps `connection` for the next request (or closes it when max_idle are kept).
  void put_idle(std::unique_ptr<HttpConnection> connection);
  /// The TLS settings of https connections (nullptr for http).
  [[nodiscard]] boost::asio::ssl::context* tls() const noexcept { return tls_.get(); }

 private:
  std::shared_ptr<boost::asio::ssl::context> tls_;
  HttpPoolLimits limits_;
  AsyncSlots slots_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<HttpConnection>> idle_;  // most recently used last
};

}  // namespace lg::detail
