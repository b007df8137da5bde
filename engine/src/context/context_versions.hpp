#pragma once

#include <logic_graph/engine/context/context.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lg::detail {

/// The executor's access to an execution's context while its nodes run: one writer at a time
/// (a committing node) and any number of readers on other threads at once, without a lock.
///
/// A write never changes what a reader may be looking at: it adds a new version of the key in a
/// slot no reader can see yet, points the index at it and only then publishes it. Older versions
/// stay (their memory too) until the context is cleared, so a value a reader found stays valid
/// for as long as the execution runs. A reader takes a snapshot (published()) and sees exactly
/// the versions published before it.
struct ContextVersions {
  /// Slots published so far: the snapshot a reader starts from.
  [[nodiscard]] static std::uint32_t published(const Context& context) noexcept;
  /// The newest version of `key` published within `snapshot`, or nullptr. `key_hash` is
  /// Context::hash(key) or 0 when unknown. Safe beside a writer.
  [[nodiscard]] static const nlohmann::json* find(const Context& context, std::string_view key,
                                                  std::size_t key_hash,
                                                  std::uint32_t snapshot) noexcept;
  /// Writes `value` under `key` as a new version (the single writer).
  static void set(Context& context, std::string_view key, std::size_t key_hash,
                  nlohmann::json&& value);
  /// Moves every entry of `writes` in as new versions, then clears `writes`.
  static void commit(Context& context, Context& writes);
  /// Frees the values of replaced versions, once no node runs any more.
  static void release_replaced(Context& context) noexcept;
};

}  // namespace lg::detail
