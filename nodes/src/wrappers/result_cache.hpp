#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lg::detail {

/// A node's result and writes, as a cache keeps them.
struct CachedRun {
  nlohmann::json result;
  std::vector<std::pair<std::string, nlohmann::json>> writes;
};

/// One run of a cached node that others with the same key wait for (single flight): they
/// await `done`, which closes when the run has ended and `run` or `error` is set.
struct Flight {
  explicit Flight(const boost::asio::any_io_executor& executor) : done(executor) {}
  boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> done;
  CachedRun run;
  std::exception_ptr error;
};

/// Results by key, at most `max_entries`, the least recently used going first, each for `ttl`;
/// thread-safe. A miss makes the caller the leader of a Flight for the key until it ends.
class ResultCache {
 public:
  using Clock = std::chrono::steady_clock;
  struct Settings {
    std::chrono::milliseconds ttl{60'000};
    std::size_t max_entries = 1000;
  };
  /// What find() found: a fresh result (hit), a flight to wait for, or neither (then the caller
  /// leads the flight it got).
  struct Found {
    bool hit = false;
    CachedRun run;                   ///< a hit's copy
    std::shared_ptr<Flight> flight;  ///< another's run to wait for, or the caller's to lead
    bool leader = false;
  };

  explicit ResultCache(const Settings& settings) : settings_(settings) {}

  [[nodiscard]] Found find(const nlohmann::json& key, const boost::asio::any_io_executor& executor,
                           Clock::time_point now);
  /// Ends the flight the caller leads: keeps `run` (when it succeeded) and wakes the waiters.
  void land(const nlohmann::json& key, const std::shared_ptr<Flight>& flight,
            std::exception_ptr error, CachedRun* run, Clock::time_point now) noexcept;
  [[nodiscard]] const Settings& settings() const noexcept { return settings_; }
  [[nodiscard]] std::size_t size() const;

 private:
  struct Entry {
    nlohmann::json key;
    CachedRun run;
    Clock::time_point expires;
  };
  using Order = std::list<Entry>;  // most recently used first

  const Settings settings_;
  mutable std::mutex mutex_;
  Order order_;
  std::unordered_map<nlohmann::json, Order::iterator> entries_;
  std::unordered_map<nlohmann::json, std::shared_ptr<Flight>> flights_;
};

}  // namespace lg::detail
