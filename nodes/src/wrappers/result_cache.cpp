#include "wrappers/result_cache.hpp"

namespace lg::detail {

ResultCache::Found ResultCache::find(const nlohmann::json& key,
                                     const boost::asio::any_io_executor& executor,
                                     Clock::time_point now) {
  const std::lock_guard guard(mutex_);
  if (const auto found = entries_.find(key); found != entries_.end()) {
    if (found->second->expires > now) {
      order_.splice(order_.begin(), order_, found->second);
      Found hit;
      hit.hit = true;
      hit.run = found->second->run;
      return hit;
    }
    order_.erase(found->second);
    entries_.erase(found);
  }
  if (const auto flying = flights_.find(key); flying != flights_.end()) {
    Found waiting;
    waiting.flight = flying->second;
    return waiting;
  }
  auto flight = std::make_shared<Flight>(executor);
  flights_.emplace(key, flight);
  Found lead;
  lead.flight = std::move(flight);
  lead.leader = true;
  return lead;
}

void ResultCache::land(const nlohmann::json& key, const std::shared_ptr<Flight>& flight,
                       std::exception_ptr error, CachedRun* run, Clock::time_point now) noexcept {
  {
    const std::lock_guard guard(mutex_);
    flights_.erase(key);
    flight->error = error;
    if (!error && run != nullptr) {
      try {
        flight->run = *run;  // for the waiters
      } catch (...) {
        flight->error = std::current_exception();  // no memory for their copy: they fail
      }
      try {
        order_.push_front({key, std::move(*run), now + settings_.ttl});
        entries_.emplace(key, order_.begin());
        if (entries_.size() > settings_.max_entries) {
          entries_.erase(order_.back().key);
          order_.pop_back();
        }
      } catch (...) {
        // No memory to keep the result: it is not cached (the next run computes it again).
        if (!order_.empty() && entries_.find(key) == entries_.end() && order_.front().key == key) {
          order_.pop_front();
        }
      }
    }
  }
  flight->done.close();  // wakes every waiter (after the outcome is in place)
}

std::size_t ResultCache::size() const {
  const std::lock_guard guard(mutex_);
  return entries_.size();
}

}  // namespace lg::detail
