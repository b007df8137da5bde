#include "io/postgres/pg_pool.hpp"

#include "io/blocking_pool.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace lg::detail {

namespace asio = boost::asio;

PgPool::PgPool(PgConnectionString target, std::size_t max_connections, asio::any_io_executor io,
               std::shared_ptr<BlockingPool> cancel_threads)
    : target_(std::move(target)),
      max_connections_(max_connections),
      io_(std::move(io)),
      cancel_threads_(std::move(cancel_threads)) {
  idle_.reserve(max_connections_);  // so that giving a connection back never allocates
}

PgPool::Lease& PgPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    end();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
    reused_ = other.reused_;
  }
  return *this;
}

PgPool::Lease::~Lease() {
  end();
}

void PgPool::Lease::end() noexcept {
  if (pool_ == nullptr) {
    return;
  }
  connection_.reset();  // closed outside the pool's lock
  const std::shared_ptr<PgPool> pool = std::move(pool_);
  pool->freed();
}

void PgPool::Lease::give_back() noexcept {
  const std::shared_ptr<PgPool> pool = std::move(pool_);
  pool->returned(std::move(connection_));
}

PgPool::Lease PgPool::take_locked() {
  if (!waiters_.empty()) {
    return {};  // they came first
  }
  if (!idle_.empty()) {
    std::unique_ptr<PgConnection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(shared_from_this(), std::move(connection), true);
  }
  if (places_ < max_connections_) {
    ++places_;
    return Lease(shared_from_this(), nullptr, false);
  }
  return {};
}

template <class CompletionToken>
auto PgPool::async_turn(asio::any_io_executor executor, CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(boost::system::error_code, Lease)>(
      [this](auto handler, asio::any_io_executor executor) {
        auto slot = asio::get_associated_cancellation_slot(handler);
        std::unique_lock lock(mutex_);
        Lease now = take_locked();
        if (now.pool_ != nullptr) {
          lock.unlock();
          complete({0, std::move(executor), TurnHandler(std::move(handler))}, {}, std::move(now));
          return;
        }
        const std::uint64_t id = ++next_waiter_;
        if (slot.is_connected()) {
          // Runs on the waiter's executor, where the wait began: never at the same time as this.
          slot.assign(
              [pool = shared_from_this(), id](asio::cancellation_type) { pool->abandon(id); });
        }
        waiters_.push_back({id, std::move(executor), TurnHandler(std::move(handler))});
      },
      token, std::move(executor));
}

void PgPool::complete(Waiter waiter, boost::system::error_code error, Lease lease) {
  // Posted, never inline: the waiter resumes on its own executor once this call has returned
  // (the caller may hold a lease's end, or be a cancellation's emit).
  auto executor = waiter.executor;
  asio::post(executor,
             [handler = std::move(waiter.handler), error, lease = std::move(lease)]() mutable {
               std::move(handler)(error, std::move(lease));
             });
}

asio::awaitable<PgPool::Lease> PgPool::acquire() {
  Lease lease;
  {
    const std::scoped_lock lock(mutex_);
    lease = take_locked();
  }
  if (lease.pool_ == nullptr) {
    const asio::any_io_executor executor = co_await asio::this_coro::executor;
    lease = co_await async_turn(executor, asio::use_awaitable);
  }
  if (lease.connection_ != nullptr && !lease.connection_->alive_when_idle()) {
    lease.connection_.reset();  // the server closed it: a new one in its place
  }
  if (lease.connection_ == nullptr) {
    const PgConnectParams params = co_await connect_params(target_, io_);
    lease.connection_ = co_await PgConnection::open(target_, params, io_);
    lease.reused_ = false;
  }
  co_return lease;
}

void PgPool::returned(std::unique_ptr<PgConnection> connection) noexcept {
  std::unique_lock lock(mutex_);
  if (waiters_.empty()) {
    idle_.push_back(std::move(connection));  // room reserved: never throws
    return;
  }
  Waiter next = std::move(waiters_.front());
  waiters_.pop_front();
  lock.unlock();
  complete(std::move(next), {}, Lease(shared_from_this(), std::move(connection), true));
}

void PgPool::freed() noexcept {
  std::unique_lock lock(mutex_);
  if (waiters_.empty()) {
    --places_;
    return;
  }
  Waiter next = std::move(waiters_.front());
  waiters_.pop_front();
  lock.unlock();
  complete(std::move(next), {}, Lease(shared_from_this(), nullptr, false));
}

void PgPool::abandon(std::uint64_t waiter) noexcept {
  std::unique_lock lock(mutex_);
  const auto found = std::find_if(waiters_.begin(), waiters_.end(),
                                  [waiter](const Waiter& each) { return each.id == waiter; });
  if (found == waiters_.end()) {
    return;  // its turn came already
  }
  Waiter abandoned = std::move(*found);
  waiters_.erase(found);
  lock.unlock();
  complete(std::move(abandoned), asio::error::operation_aborted, Lease());
}

}  // namespace lg::detail
