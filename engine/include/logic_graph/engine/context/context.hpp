#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace lg {

namespace detail {
struct ContextVersions;
}  // namespace detail

/// A typed read found a value it cannot convert; names the key.
class ContextError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The data an execution works on: string keys to JSON values.
///
/// Entries are stored in insertion order in chunks that never move, found by comparing keys
/// (through a hash index once the context grows). clear() keeps the storage and its keys as
/// spare entries, so a reused context that is given the same keys again (a pooled context
/// running the same graph) neither allocates nor copies them. Lookups take string_view and build
/// no std::string. Not synchronised: one writer at a time, and no reader while it writes (an
/// executor's nodes read it while others commit through an internal, versioned path).
///
/// @code
/// lg::Context ctx{16};
/// ctx.set("order", {{"total", 120}});
/// if (const nlohmann::json* order = ctx.get("order")) { ... }
/// int total = ctx.get<int>("total").value_or(0);
/// @endcode
class Context {
 public:
  using Json = nlohmann::json;
  /// One key and its value.
  struct Entry {
    std::string key;
    Json value;
  };
  class const_iterator;

  Context() noexcept = default;
  /// Room for `initial_capacity` keys before anything grows.
  explicit Context(std::size_t initial_capacity);
  Context(const Context& other);
  Context(Context&& other) noexcept;
  Context& operator=(const Context& other);
  Context& operator=(Context&& other) noexcept;
  ~Context();

  /// Writes `value` under `key`, replacing what was there.
  void set(std::string_view key, Json value);
  /// set() for a number or a boolean: the same result as set(key, Json(value)), but a reused
  /// context that held the same kind of value under `key` is overwritten in place.
  template <class T>
  requires std::is_arithmetic_v<T>
  void set(std::string_view key, T value) { assign_scalar(place(key, unknown_hash), value); }
  /// set() for a key whose hash() the caller computed once and keeps (the executor does, for
  /// node ids); `value` is moved from.
  void set(std::string_view key, std::size_t key_hash, Json&& value);
  /// The hash lookups use for `key`.
  [[nodiscard]] static std::size_t hash(std::string_view key) noexcept;
  /// The value under `key`, or nullptr.
  [[nodiscard]] const Json* get(std::string_view key) const noexcept;
  /// The value under `key` converted to T; nullopt when missing. Throws ContextError (naming
  /// the key) when the value is not convertible to T.
  template <class T>
  [[nodiscard]] std::optional<T> get(std::string_view key) const;
  [[nodiscard]] bool contains(std::string_view key) const noexcept { return get(key) != nullptr; }
  /// Removes `key`; false when it was not there.
  bool erase(std::string_view key);
  /// Removes every key, keeping the capacity.
  void clear() noexcept;
  /// Moves every entry of `source` in here (replacing same keys), leaving `source` empty with
  /// its capacity.
  void take_all(Context& source);
  /// Makes room for `capacity` keys.
  void reserve(std::size_t capacity);

  [[nodiscard]] std::size_t size() const noexcept { return live_; }
  [[nodiscard]] bool empty() const noexcept { return live_ == 0; }
  /// Entries the context holds room for without allocating.
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  /// Entries in insertion order (a key that an execution's node wrote again: where it was last
  /// written).
  [[nodiscard]] const_iterator begin() const noexcept;
  [[nodiscard]] const_iterator end() const noexcept;

  /// Every entry as one JSON object.
  [[nodiscard]] Json to_json() const;

 private:
  friend struct detail::ContextVersions;
  struct Slot;
  struct Index;

  static constexpr std::uint32_t npos = static_cast<std::uint32_t>(-1);
  static constexpr std::size_t unknown_hash = 0;
  // Chunk 0 holds 16 slots, chunk c > 0 holds 2^(c+3): slots never move once made.
  static constexpr std::size_t chunk_count = 28;

  [[nodiscard]] Slot& slot(std::uint32_t i) const noexcept;
  /// The newest stored version of `key` among the first `limit` slots, or npos. `key_hash` is
  /// hash(key) or unknown_hash.
  [[nodiscard]] std::uint32_t find(std::string_view key, std::size_t key_hash,
                                   std::uint32_t limit) const noexcept;
  /// The value stored under `key`, added if missing; a new entry's value is unspecified (a
  /// number, boolean or null left in a spare entry) until the caller writes it.
  Json& place(std::string_view key, std::size_t key_hash);
  /// Fills the spare slot at count_ with `key` (making room first); does not publish it.
  Slot& append(std::string_view key, std::size_t key_hash);
  /// Makes slot `i` the one the index finds for its key (the index is in use).
  void index_point(std::uint32_t i, std::uint32_t replaced);
  /// Builds the index anew for `entries` slots, larger when `grow` (writer side only).
  void rebuild_index(std::uint32_t entries);
  void publish(std::uint32_t count) noexcept { count_.store(count, std::memory_order_release); }
  /// Drops superseded versions (they only exist after an execution's versioned writes).
  void compact();
  void reset_storage() noexcept;
  void free_retired() noexcept;
  template <class T>
  static void assign_scalar(Json& target, T value) noexcept;
  [[noreturn]] static void throw_conversion_error(std::string_view key, const Json& value,
                                                  const std::exception& cause);

  std::array<Slot*, chunk_count> chunks_{};
  std::size_t capacity_ = 0;             // slots in the chunks made so far
  std::atomic<std::uint32_t> count_{0};  // slots in use, superseded versions included
  std::uint32_t live_ = 0;               // keys (slots not superseded)
  std::uint32_t superseded_ = 0;         // versions a later one replaced
  std::atomic<Index*> index_{nullptr};   // hash index over live keys, once count_ > 16
  bool indexed_ = false;                 // the index holds every live key
  Index* retired_ = nullptr;             // outgrown indexes readers may still hold (a list)
};

/// Walks a context's entries in insertion order.
class Context::const_iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Entry;
  using difference_type = std::ptrdiff_t;
  using pointer = const Entry*;
  using reference = const Entry&;

  const_iterator() noexcept = default;
  reference operator*() const noexcept;
  pointer operator->() const noexcept { return &**this; }
  const_iterator& operator++() noexcept;
  const_iterator operator++(int) noexcept {
    const_iterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const const_iterator& other) const noexcept {
    return position_ == other.position_;
  }

 private:
  friend class Context;
  const_iterator(const Context* context, std::uint32_t position) noexcept;

  const Context* context_ = nullptr;
  std::uint32_t position_ = 0;
  std::uint32_t end_ = 0;
};

template <class T>
void Context::assign_scalar(Json& target, T value) noexcept {
  // Only when the stored kind is the one Json(value) makes; anything else goes through a Json.
  if constexpr (std::is_same_v<T, bool>) {
    if (target.is_boolean()) {
      *target.get_ptr<bool*>() = value;
      return;
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (target.is_number_float()) {
      *target.get_ptr<double*>() = static_cast<double>(value);
      return;
    }
  } else if constexpr (std::is_signed_v<T>) {
    if (target.is_number_integer() && !target.is_number_unsigned()) {
      *target.get_ptr<std::int64_t*>() = value;
      return;
    }
  } else {
    if (target.is_number_unsigned()) {
      *target.get_ptr<std::uint64_t*>() = value;
      return;
    }
  }
  Json fresh(value);
  target.swap(fresh);
}

template <class T>
std::optional<T> Context::get(std::string_view key) const {
  const Json* value = get(key);
  if (value == nullptr) {
    return std::nullopt;
  }
  try {
    return value->get<T>();
  } catch (const Json::exception& e) {
    throw_conversion_error(key, *value, e);
  }
}

}  // namespace lg
