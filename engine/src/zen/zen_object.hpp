#pragma once

// The members of a ZEN object, sorted by key in one vector: an object costs one allocation
// where a std::map makes one per member, and objects are built (from JSON, by merges, by each
// node of a JDM graph) far more often than they grow one key at a time.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lg::zen {

template <class V>
class FlatObject {
 public:
  using value_type = std::pair<std::string, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  FlatObject() = default;
  /// From members already sorted by key, without duplicates.
  FlatObject(const_iterator first, const_iterator last) : members_(first, last) {}

  [[nodiscard]] std::size_t size() const noexcept { return members_.size(); }
  [[nodiscard]] bool empty() const noexcept { return members_.empty(); }
  void reserve(std::size_t n) { members_.reserve(n); }
  [[nodiscard]] iterator begin() noexcept { return members_.begin(); }
  [[nodiscard]] iterator end() noexcept { return members_.end(); }
  [[nodiscard]] const_iterator begin() const noexcept { return members_.begin(); }
  [[nodiscard]] const_iterator end() const noexcept { return members_.end(); }

  [[nodiscard]] const_iterator find(std::string_view key) const noexcept {
    const auto at = lower(key);
    return at != members_.end() && at->first == key ? at : members_.end();
  }
  [[nodiscard]] iterator find(std::string_view key) noexcept {
    const auto at = lower(key);
    return at != members_.end() && at->first == key ? at : members_.end();
  }
  [[nodiscard]] bool contains(std::string_view key) const noexcept { return find(key) != end(); }

  /// Adds `key` unless it is there; the member, and whether it was added.
  std::pair<iterator, bool> emplace(std::string key, V value) {
    if (members_.empty() || members_.back().first < key) {
      members_.emplace_back(std::move(key), std::move(value));  // in order: no search
      return {std::prev(members_.end()), true};
    }
    const auto at = lower(key);
    if (at != members_.end() && at->first == key) {
      return {at, false};
    }
    return {members_.emplace(at, std::move(key), std::move(value)), true};
  }
  /// emplace(), for members given in key order (the hint is not needed).
  iterator emplace_hint(const_iterator, std::string key, V value) {
    return emplace(std::move(key), std::move(value)).first;
  }
  void insert_or_assign(std::string key, V value) {
    auto [at, added] = emplace(std::move(key), V());
    at->second = std::move(value);
  }
  std::size_t erase(std::string_view key) {
    const auto at = find(key);
    if (at == members_.end()) {
      return 0;
    }
    members_.erase(at);
    return 1;
  }

  /// `a`'s members and `b`'s in one pass (linear, however large both are): a key of `b` gets
  /// `combine(old, b's value)`, `old` being `a`'s value or nullptr; nullopt leaves it out.
  template <class Combine>
  [[nodiscard]] static FlatObject merged(const FlatObject& a, const FlatObject& b,
                                         Combine&& combine) {
    FlatObject out;
    out.reserve(a.size() + b.size());
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() || j != b.end()) {
      if (j == b.end() || (i != a.end() && i->first < j->first)) {
        out.members_.push_back(*i++);
        continue;
      }
      const bool both = i != a.end() && i->first == j->first;
      std::optional<V> v = combine(both ? &i->second : static_cast<const V*>(nullptr), j->second);
      if (v) {
        out.members_.emplace_back(j->first, std::move(*v));
      }
      if (both) {
        ++i;
      }
      ++j;
    }
    return out;
  }

 private:
  [[nodiscard]] const_iterator lower(std::string_view key) const noexcept {
    return std::lower_bound(members_.begin(), members_.end(), key,
                            [](const value_type& m, std::string_view k) { return m.first < k; });
  }
  [[nodiscard]] iterator lower(std::string_view key) noexcept {
    return std::lower_bound(members_.begin(), members_.end(), key,
                            [](const value_type& m, std::string_view k) { return m.first < k; });
  }

  std::vector<value_type> members_;
};

}  // namespace lg::zen
