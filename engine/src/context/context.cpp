#include <logic_graph/engine/context/context.hpp>

#include "context/context_storage.hpp"

#include <logic_graph/memory/memory_metrics.hpp>

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <utility>

namespace lg {
namespace {

using detail::context_scan_limit;
using detail::give_key;
using detail::same_key;

// Values a spare entry may keep: they hold no memory of their own.
bool owns_memory(const nlohmann::json& value) noexcept {
  return value.is_structured() || value.is_string() || value.is_binary();
}

void release_value(nlohmann::json& value) noexcept {
  nlohmann::json released;
  value.swap(released);
}

}  // namespace

Context::Context(std::size_t initial_capacity) {
  reserve(initial_capacity);
  memory::record_context_created();
}

Context::Context(const Context& other) {
  reserve(other.live_);
  for (const Entry& entry : other) {
    set(entry.key, entry.value);
  }
  memory::record_context_created();
}

Context::Context(Context&& other) noexcept
    : chunks_(std::exchange(other.chunks_, {})),
      capacity_(std::exchange(other.capacity_, 0)),
      count_(other.count_.exchange(0, std::memory_order_relaxed)),
      live_(std::exchange(other.live_, 0)),
      superseded_(std::exchange(other.superseded_, 0)),
      index_(other.index_.exchange(nullptr, std::memory_order_relaxed)),
      indexed_(std::exchange(other.indexed_, false)),
      retired_(std::exchange(other.retired_, nullptr)) {}

Context& Context::operator=(const Context& other) {
  if (this != &other) {
    Context copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Context& Context::operator=(Context&& other) noexcept {
  if (this != &other) {
    reset_storage();
    chunks_ = std::exchange(other.chunks_, {});
    capacity_ = std::exchange(other.capacity_, 0);
    count_.store(other.count_.exchange(0, std::memory_order_relaxed), std::memory_order_relaxed);
    live_ = std::exchange(other.live_, 0);
    superseded_ = std::exchange(other.superseded_, 0);
    index_.store(other.index_.exchange(nullptr, std::memory_order_relaxed),
                 std::memory_order_relaxed);
    indexed_ = std::exchange(other.indexed_, false);
    retired_ = std::exchange(other.retired_, nullptr);
  }
  return *this;
}

Context::~Context() {
  reset_storage();
}

void Context::reset_storage() noexcept {
  for (Slot*& chunk : chunks_) {
    delete[] std::exchange(chunk, nullptr);
  }
  delete index_.exchange(nullptr, std::memory_order_relaxed);
  free_retired();
  capacity_ = 0;
  count_.store(0, std::memory_order_relaxed);
  live_ = 0;
  superseded_ = 0;
  indexed_ = false;
}

void Context::free_retired() noexcept {
  while (retired_ != nullptr) {
    delete std::exchange(retired_, retired_->next_retired);
  }
}

void Context::reserve(std::size_t capacity) {
  while (capacity_ < capacity) {
    const std::size_t chunk = detail::chunk_of(static_cast<std::uint32_t>(capacity_));
    if (chunk >= chunk_count) {
      throw std::length_error("a context holds at most 2^31 entries");
    }
    chunks_[chunk] = new Slot[detail::chunk_size(chunk)];
    capacity_ += detail::chunk_size(chunk);
  }
}

std::size_t Context::hash(std::string_view key) noexcept {
  return std::hash<std::string_view>{}(key);
}

std::uint32_t Context::find(std::string_view key, std::size_t key_hash,
                            std::uint32_t limit) const noexcept {
  if (limit <= context_scan_limit) {
    // Newest first: a later version of a key sits after the earlier ones.
    const Slot* first = chunks_[0];
    for (std::uint32_t i = limit; i-- > 0;) {
      if (same_key(first[i].entry.key, key)) {
        return i;
      }
    }
    return npos;
  }
  const std::size_t h = key_hash != unknown_hash ? key_hash : hash(key);
  const Index* index = index_.load(std::memory_order_acquire);
  for (std::size_t probe = h & index->mask;; probe = (probe + 1) & index->mask) {
    const std::uint64_t stored = index->entries[probe].load(std::memory_order_acquire);
    if (!index->live(stored)) {
      return npos;
    }
    if (!Index::tagged(stored, h)) {
      continue;
    }
    std::uint32_t i = Index::position(stored);
    const Slot* found = &slot(i);
    if (found->hash == h && same_key(found->entry.key, key)) {
      // A version written after the reader's snapshot: look for the one it replaced.
      while (i >= limit) {
        if (found->older == 0) {
          return npos;
        }
        i = found->older - 1;
        found = &slot(i);
      }
      return i;
    }
  }
}

const Context::Json* Context::get(std::string_view key) const noexcept {
  const std::uint32_t i = find(key, unknown_hash, count_.load(std::memory_order_acquire));
  return i == npos ? nullptr : &slot(i).entry.value;
}

void Context::set(std::string_view key, Json value) {
  place(key, unknown_hash).swap(value);  // no temporary: the old value leaves with the argument
}

void Context::set(std::string_view key, std::size_t key_hash, Json&& value) {
  place(key, key_hash).swap(value);
}

Context::Json& Context::place(std::string_view key, std::size_t key_hash) {
  const std::uint32_t count = count_.load(std::memory_order_relaxed);
  if (const std::uint32_t i = find(key, key_hash, count); i != npos) {
    return slot(i).entry.value;
  }
  Slot& added = append(key, key_hash);  // everything that can throw comes first
  if (count + 1 > context_scan_limit) {
    index_point(count, npos);
  }
  ++live_;
  publish(count + 1);
  return added.entry.value;
}

Context::Slot& Context::append(std::string_view key, std::size_t key_hash) {
  const std::uint32_t count = count_.load(std::memory_order_relaxed);
  if (count == npos - 1) {
    throw std::length_error("a context holds at most 2^31 entries");
  }
  reserve(std::size_t{count} + 1);
  Slot& added = slot(count);
  give_key(added.entry.key, key);
  added.hash =
      count + 1 > context_scan_limit ? (key_hash != unknown_hash ? key_hash : hash(key)) : key_hash;
  added.older = 0;
  added.superseded = false;
  // Room in the index before anything changes, so that pointing it at the slot cannot fail.
  if (count + 1 > context_scan_limit) {
    const Index* index = index_.load(std::memory_order_relaxed);
    if (!indexed_ || index == nullptr || 2 * (std::size_t{live_} + 1) > index->mask + 1) {
      rebuild_index(count);
    }
  }
  return added;
}

void Context::rebuild_index(std::uint32_t entries) {
  const std::size_t wanted = std::max<std::size_t>(64, std::bit_ceil(4 * (std::size_t{live_} + 1)));
  Index* current = index_.load(std::memory_order_relaxed);
  Index* target = current;
  std::unique_ptr<Index> grown;
  if (current == nullptr || current->mask + 1 < wanted) {
    grown = std::make_unique<Index>(wanted);
    target = grown.get();
  } else {
    // Refilled in place only where no reader probes it: before the context outgrows scanning
    // (readers scan until then), or outside executions (erase, compact).
    current->restart();
  }
  for (std::uint32_t i = 0; i < entries; ++i) {
    Slot& stored = slot(i);
    if (!indexed_) {
      stored.hash = hash(stored.entry.key);  // slots written while scanning had none
    }
    if (stored.superseded) {
      continue;
    }
    std::size_t probe = stored.hash & target->mask;
    while (target->live(target->entries[probe].load(std::memory_order_relaxed))) {
      probe = (probe + 1) & target->mask;
    }
    target->entries[probe].store(target->entry(stored.hash, i), std::memory_order_relaxed);
  }
  if (grown) {
    index_.store(grown.release(), std::memory_order_release);
    if (current != nullptr) {
      current->next_retired = retired_;  // readers may still probe it
      retired_ = current;
    }
  } else {
    // Readers reach a refilled index only through a count published after this.
    std::atomic_thread_fence(std::memory_order_release);
  }
  indexed_ = true;
}

void Context::index_point(std::uint32_t i, std::uint32_t replaced) {
  Index* index = index_.load(std::memory_order_relaxed);
  const Slot& added = slot(i);
  for (std::size_t probe = added.hash & index->mask;; probe = (probe + 1) & index->mask) {
    const std::uint64_t stored = index->entries[probe].load(std::memory_order_relaxed);
    const bool live = index->live(stored);
    if (live && Index::position(stored) == i) {
      return;  // a rebuild just now indexed it
    }
    if (!live || (replaced != npos && Index::position(stored) == replaced)) {
      index->entries[probe].store(index->entry(added.hash, i), std::memory_order_release);
      return;
    }
  }
}

bool Context::erase(std::string_view key) {
  compact();
  const std::uint32_t count = count_.load(std::memory_order_relaxed);
  const std::uint32_t i = find(key, unknown_hash, count);
  if (i == npos) {
    return false;
  }
  // The erased entry becomes the first spare; the ones after it keep their order.
  for (std::uint32_t k = i; k + 1 < count; ++k) {
    std::swap(slot(k).entry, slot(k + 1).entry);
    slot(k).hash = slot(k + 1).hash;
  }
  release_value(slot(count - 1).entry.value);  // spare values never own memory
  --live_;
  publish(count - 1);
  if (count - 1 > context_scan_limit) {
    rebuild_index(count - 1);  // positions after i moved down; erase is rare enough for O(n)
  } else if (indexed_) {
    indexed_ = false;
  }
  return true;
}

void Context::compact() {
  if (superseded_ == 0) {
    return;
  }
  const std::uint32_t count = count_.load(std::memory_order_relaxed);
  std::uint32_t kept = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    Slot& current = slot(i);
    if (current.superseded) {
      release_value(current.entry.value);
      continue;
    }
    if (kept != i) {
      Slot& target = slot(kept);
      std::swap(target.entry, current.entry);
      target.hash = current.hash;
    }
    slot(kept).older = 0;
    slot(kept).superseded = false;
    ++kept;
  }
  for (std::uint32_t i = kept; i < count; ++i) {
    slot(i).superseded = false;
  }
  superseded_ = 0;
  publish(kept);
  indexed_ = indexed_ && kept > context_scan_limit;
  if (indexed_) {
    rebuild_index(kept);
  }
}

void Context::clear() noexcept {
  const std::uint32_t count = count_.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < count; ++i) {
    Json& value = slot(i).entry.value;
    if (owns_memory(value)) {
      release_value(value);
    }
  }
  count_.store(0, std::memory_order_relaxed);
  live_ = 0;
  superseded_ = 0;
  indexed_ = false;  // the index is restarted when the context next outgrows scanning
  free_retired();
}

void Context::take_all(Context& source) {
  const std::uint32_t count = source.count_.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < count; ++i) {
    Slot& entry = source.slot(i);
    if (!entry.superseded) {
      set(entry.entry.key, std::move(entry.entry.value));
    }
  }
  source.clear();
}

Context::const_iterator Context::begin() const noexcept {
  return {this, 0};
}

Context::const_iterator Context::end() const noexcept {
  const_iterator end;
  end.position_ = count_.load(std::memory_order_relaxed);
  return end;
}

Context::const_iterator::const_iterator(const Context* context, std::uint32_t position) noexcept
    : context_(context),
      position_(position),
      end_(context->count_.load(std::memory_order_relaxed)) {
  while (position_ < end_ && context_->slot(position_).superseded) {
    ++position_;
  }
}

Context::const_iterator::reference Context::const_iterator::operator*() const noexcept {
  return context_->slot(position_).entry;
}

Context::const_iterator& Context::const_iterator::operator++() noexcept {
  do {
    ++position_;
  } while (position_ < end_ && context_->slot(position_).superseded);
  return *this;
}

Context::Json Context::to_json() const {
  Json object = Json::object();
  for (const Entry& entry : *this) {
    object[entry.key] = entry.value;
  }
  return object;
}

void Context::throw_conversion_error(std::string_view key, const Json& value,
                                     const std::exception& cause) {
  throw ContextError("context key '" + std::string(key) + "' holds a " + value.type_name() +
                     " that cannot be read as the requested type: " + cause.what());
}

}  // namespace lg
