#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace lg {

/// A typed read found a value it cannot convert; names the key.
class ContextError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The data an execution works on: string keys to JSON values.
///
/// Entries live in one flat array in insertion order, found by comparing keys (through a hash
/// index once the context grows). clear() keeps the array and its keys as spare entries, so a
/// reused context that is given the same keys again (a pooled context running the same graph)
/// neither allocates nor copies them. Lookups take string_view and build no std::string.
/// Not synchronised: one writer at a time.
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
  using const_iterator = std::vector<Entry>::const_iterator;

  Context() noexcept = default;
  /// Room for `initial_capacity` keys before anything grows.
  explicit Context(std::size_t initial_capacity);
  Context(const Context& other);
  Context(Context&& other) noexcept;
  Context& operator=(const Context& other);
  Context& operator=(Context&& other) noexcept;
  ~Context() = default;

  /// Writes `value` under `key`, replacing what was there.
  void set(std::string_view key, Json value) { set(key, lookup_hash(key), std::move(value)); }
  /// set() for a number or a boolean: the same result as set(key, Json(value)), but a reused
  /// context that held the same kind of value under `key` is overwritten in place.
  template <class T>
  requires std::is_arithmetic_v<T>
  void set(std::string_view key, T value) { assign_scalar(place(key, lookup_hash(key)), value); }
  /// set() for a key whose hash() the caller computed once and keeps (the executor does, for
  /// node ids); `value` is moved from. A context of up to 16 keys finds keys by comparing
  /// them and ignores the hash.
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
  [[nodiscard]] std::size_t capacity() const noexcept { return entries_.capacity(); }

  /// Entries in insertion order.
  [[nodiscard]] const_iterator begin() const noexcept { return entries_.begin(); }
  [[nodiscard]] const_iterator end() const noexcept {
    return entries_.begin() + static_cast<std::ptrdiff_t>(live_);
  }

  /// Every entry as one JSON object.
  [[nodiscard]] Json to_json() const;

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  // Small contexts find keys by comparing them and never hash.
  [[nodiscard]] std::size_t lookup_hash(std::string_view key) const noexcept {
    return index_.empty() ? 0 : hash(key);
  }
  /// The value stored under `key`, added if missing; a new entry's value is unspecified (a
  /// number, boolean or null left in a spare entry) until the caller writes it.
  Json& place(std::string_view key, std::size_t key_hash);
  template <class T>
  static void assign_scalar(Json& target, T value) noexcept;
  /// Where `key` is, or npos; `slot` gets the index slot it has or would take (index mode).
  [[nodiscard]] std::size_t find(std::string_view key, std::size_t hash,
                                 std::size_t* slot = nullptr) const noexcept;
  void index_insert(std::size_t entry) noexcept;
  void rebuild_index() noexcept;
  [[noreturn]] static void throw_conversion_error(std::string_view key, const Json& value,
                                                  const std::exception& cause);

  /// Makes room for one more entry (a spare one if there is any) and fills it with `key`.
  Entry& append(std::string_view key);
  /// Makes entries_[i]'s value null, freeing what it held. Spare entries keep numbers and
  /// booleans (never read) but nothing that owns memory.
  void release_value(std::size_t i) noexcept;

  // entries_[0, live_) are the context's entries; the rest are spare: emptied entries whose
  // keys keep their storage for the next use.
  std::vector<Entry> entries_;
  std::size_t live_ = 0;
  std::vector<std::size_t> hashes_;  // hash of entries_[i].key, kept once index_ is in use
  // Open addressing over entry positions (+1; 0 is empty), used once the context is large
  // enough that scanning hashes_ costs more than probing.
  std::vector<std::uint32_t> index_;
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
