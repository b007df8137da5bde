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

struct Context::Slot {
  Entry entry;
  std::size_t hash = 0;     // hash(entry.key), valid once the index is in use
  std::uint32_t older = 0;  // the version this one replaced + 1 (versioned writes); 0: none
  bool superseded = false;  // a later version of the key replaced this one
};

struct Context::Index {
  explicit Index(std::size_t size)
      : mask(size - 1), slots(std::make_unique<std::atomic<std::uint32_t>[]>(size)) {}
  std::size_t mask;
  std::unique_ptr<std::atomic<std::uint32_t>[]> slots;  // slot number + 1; 0: empty
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

}  // namespace detail

inline Context::Slot& Context::slot(std::uint32_t i) const noexcept {
  const std::size_t chunk = detail::chunk_of(i);
  return chunks_[chunk][i - detail::chunk_start(chunk)];
}

}  // namespace lg
