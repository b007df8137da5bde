#include "io/http/http_origin.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace lg::detail {

HttpOrigin::HttpOrigin(std::shared_ptr<boost::asio::ssl::context> tls, HttpPoolLimits limits)
    : tls_(std::move(tls)), limits_(limits), slots_(limits.max_connections) {}

std::optional<HttpOrigin::Slot> HttpOrigin::try_reserve() noexcept {
  if (!slots_.try_acquire()) {
    return std::nullopt;
  }
  return Slot(&slots_);
}

boost::asio::awaitable<HttpOrigin::Slot> HttpOrigin::reserve() {
  co_await slots_.async_acquire(boost::asio::use_awaitable);
  co_return Slot(&slots_);
}

std::unique_ptr<HttpConnection> HttpOrigin::take_idle() {
  const HttpClock::time_point now = HttpClock::now();
  std::vector<std::unique_ptr<HttpConnection>> stale;  // closed outside the lock
  std::unique_ptr<HttpConnection> found;
  {
    const std::scoped_lock lock(mutex_);
    while (!idle_.empty()) {
      std::unique_ptr<HttpConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      if (now - connection->idle_since <= limits_.idle_timeout && connection->usable()) {
        found = std::move(connection);
        break;
      }
      stale.push_back(std::move(connection));
    }
  }
  for (auto& connection : stale) {
    connection->close();
  }
  return found;
}

void HttpOrigin::put_idle(std::unique_ptr<HttpConnection> connection) {
  connection->idle_since = HttpClock::now();
  {
    const std::scoped_lock lock(mutex_);
    if (idle_.size() < limits_.max_idle) {
      idle_.push_back(std::move(connection));
      return;
    }
  }
  connection->close();
}

}  // namespace lg::detail
