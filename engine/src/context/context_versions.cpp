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
