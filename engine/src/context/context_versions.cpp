#include "context/context_versions.hpp"

#include "context/context_storage.hpp"

namespace lg::detail {

std::uint32_t ContextVersions::published(const Context& context) noexcept {
  return context.count_.load(std::memory_order_acquire);
}

const nlohmann::json* ContextVersions::find(const Context& context, std::string_view key,
                                            std::size_t key_hash, std::uint32_t snapshot) noexcept {
  const std::uint32_t i = context.find(key, key_hash, snapshot);
  return i == Context::npos ? nullptr : &context.slot(i).entry.value;
}

void ContextVersions::set(Context& context, std::string_view key, std::size_t key_hash,
                          nlohmann::json&& value) {
  const std::uint32_t count = context.count_.load(std::memory_order_relaxed);
  Context::Index* index = context.index_.load(std::memory_order_relaxed);
  if (context.indexed_ && count < context.capacity_ && index != nullptr) {
    // The common case of a large context: one probe finds the version replaced or the empty
    // place, and there is room everywhere.
    const std::size_t h = key_hash != Context::unknown_hash ? key_hash : Context::hash(key);
    std::size_t probe = h & index->mask;
    std::uint32_t replaced = Context::npos;
    for (;; probe = (probe + 1) & index->mask) {
      const std::uint64_t stored = index->entries[probe].load(std::memory_order_relaxed);
      if (!index->live(stored)) {
        break;
      }
      if (!Context::Index::tagged(stored, h)) {
        continue;
      }
      const Context::Slot& found = context.slot(Context::Index::position(stored));
      if (found.hash == h && same_key(found.entry.key, key)) {
        replaced = Context::Index::position(stored);
        break;
      }
    }
    if (replaced != Context::npos || 2 * (std::size_t{context.live_} + 1) <= index->mask + 1) {
      Context::Slot& added = context.slot(count);
      give_key(added.entry.key, key);  // the only step that can throw, before anything changes
      added.hash = h;
      added.older = replaced == Context::npos ? 0 : replaced + 1;
      added.superseded = false;
      added.entry.value.swap(value);
      if (replaced != Context::npos) {
        context.slot(replaced).superseded = true;
        ++context.superseded_;
      } else {
        ++context.live_;
      }
      index->entries[probe].store(index->entry(h, count), std::memory_order_release);
      context.publish(count + 1);
      return;
    }
  }
  const std::uint32_t replaced = context.find(key, key_hash, count);
  // Everything that can throw (room for the slot and in the index) happens in append().
  Context::Slot& added = context.append(key, key_hash);
  added.entry.value.swap(value);
  if (replaced != Context::npos) {
    added.older = replaced + 1;
    context.slot(replaced).superseded = true;  // read by iteration, after the execution
    ++context.superseded_;
  } else {
    ++context.live_;
  }
  if (count + 1 > context_scan_limit) {
    context.index_point(count, replaced);
  }
  context.publish(count + 1);
}

void ContextVersions::commit(Context& context, Context& writes) {
  const std::uint32_t count = writes.count_.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < count; ++i) {
    Context::Slot& entry = writes.slot(i);
    if (!entry.superseded) {
      set(context, entry.entry.key, entry.hash, std::move(entry.entry.value));
    }
  }
  writes.clear();
}

void ContextVersions::release_replaced(Context& context) noexcept {
  if (context.superseded_ == 0) {
    return;
  }
  const std::uint32_t count = context.count_.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < count; ++i) {
    Context::Slot& entry = context.slot(i);
    if (entry.superseded && !entry.entry.value.is_null()) {
      nlohmann::json released;
      entry.entry.value.swap(released);
    }
  }
}

}  // namespace lg::detail
