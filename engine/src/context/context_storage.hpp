#pragma once

// How a Context stores its entries: slots in chunks that never move, and an open-addressing
// index over the newest version of each key. Shared by the Context's own operations and the
// executor's versioned writes (context_versions.hpp).

#include <logic_graph/engine/context/context.hpp>

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace lg {

// One cache line each: a write touches one line, not two.
struct alignas(64) Context::Slot {
  Entry entry;
  std::size_t hash = 0;     // hash(entry.key), valid once the index is in use
  std::uint32_t older = 0;  // the version this one replaced + 1 (versioned writes); 0: none
  bool superseded = false;  // a later version of the key replaced this one
};

// Open addressing over the newest version of each key. An entry packs the table's epoch (16
// bits), a tag of the key's hash (16 bits) and the slot + 1 (32 bits): probing compares tags
// without touching slots, and clearing the table is moving to the next epoch, not zeroing it.
struct Context::Index {
  explicit Index(std::size_t size)
      : mask(size - 1), entries(std::make_unique<std::atomic<std::uint64_t>[]>(size)) {}

  [[nodiscard]] static std::uint16_t tag(std::size_t key_hash) noexcept {
    return static_cast<std::uint16_t>(key_hash >> 48);  // the probe start uses the low bits
  }
  [[nodiscard]] std::uint64_t entry(std::size_t key_hash, std::uint32_t slot) const noexcept {
    return (std::uint64_t{epoch} << 48) | (std::uint64_t{tag(key_hash)} << 32) | (slot + 1);
  }
  /// True for an entry of this epoch; an entry of another epoch (or 0) is empty.
  [[nodiscard]] bool live(std::uint64_t stored) const noexcept {
    return (stored >> 48) == epoch && static_cast<std::uint32_t>(stored) != 0;
  }
  [[nodiscard]] static bool tagged(std::uint64_t stored, std::size_t key_hash) noexcept {
    return static_cast<std::uint16_t>(stored >> 32) == tag(key_hash);
  }
  [[nodiscard]] static std::uint32_t position(std::uint64_t stored) noexcept {
    return static_cast<std::uint32_t>(stored) - 1;
  }
  /// Empties the table (no reader may probe it meanwhile).
  void restart() noexcept {
    if (++epoch == 0) {  // once in 65,535 restarts: stale entries could pass for live ones
      for (std::size_t i = 0; i <= mask; ++i) {
        entries[i].store(0, std::memory_order_relaxed);
      }
      epoch = 1;
    }
  }

  std::size_t mask;
  std::uint16_t epoch = 1;  // a new table's entries are 0: empty
  std::unique_ptr<std::atomic<std::uint64_t>[]> entries;
  Index* next_retired = nullptr;
};

namespace detail {

/// Up to this many slots a scan over the keys beats probing an index.
inline constexpr std::uint32_t context_scan_limit = 16;

inline std::size_t chunk_of(std::uint32_t slot) noexcept {
  return slot < 16 ? 0 : static_cast<std::size_t>(std::bit_width(slot)) - 4;
}
inline std::uint32_t chunk_start(std::size_t chunk) noexcept {
  return chunk == 0 ? 0 : std::uint32_t{1} << (chunk + 3);
}
inline std::uint32_t chunk_size(std::size_t chunk) noexcept {
  return chunk == 0 ? 16 : std::uint32_t{1} << (chunk + 3);
}

// Keys are short as a rule: a byte loop the compiler inlines beats a call to memcmp for them.
inline bool same_key(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  if (a.size() > 16) {
    return a == b;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  return true;
}

// Puts `key` into a spare entry's key; most often it is the key the spare had. Strong
// guarantee: on bad_alloc the spare is unchanged.
inline void give_key(std::string& spare_key, std::string_view key) {
  if (!same_key(spare_key, key)) {
    spare_key.assign(key);
  }
}

}  // namespace detail

inline Context::Slot& Context::slot(std::uint32_t i) const noexcept {
  const std::size_t chunk = detail::chunk_of(i);
  return chunks_[chunk][i - detail::chunk_start(chunk)];
}

}  // namespace lg
