#include <logic_graph/engine/context/context.hpp>

#include <logic_graph/memory/memory_metrics.hpp>

#include <algorithm>
#include <bit>
#include <functional>
#include <utility>

namespace lg {
namespace {

// Up to this many keys a scan over the stored hashes beats probing an index.
constexpr std::size_t scan_limit = 16;

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

// Values a spare entry may keep: they hold no memory of their own.
bool owns_memory(const nlohmann::json& value) noexcept {
  return value.is_structured() || value.is_string() || value.is_binary();
}

// Skips global_metrics()'s flush of pending counts: construction is a hot path.
void record_created() noexcept {
  memory::record_context_created();
}

}  // namespace

Context::Context(std::size_t initial_capacity) {
  reserve(initial_capacity);
  record_created();
}

Context::Context(const Context& other)
    : entries_(other.begin(), other.end()),
      live_(other.live_),
      hashes_(other.hashes_),
      index_(other.index_) {
  record_created();
}

Context::Context(Context&& other) noexcept
    : entries_(std::move(other.entries_)),
      live_(std::exchange(other.live_, 0)),
      hashes_(std::move(other.hashes_)),
      index_(std::move(other.index_)) {}

Context& Context::operator=(const Context& other) {
  if (this != &other) {
    Context copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Context& Context::operator=(Context&& other) noexcept {
  if (this != &other) {
    entries_ = std::move(other.entries_);
    live_ = std::exchange(other.live_, 0);
    hashes_ = std::move(other.hashes_);
    index_ = std::move(other.index_);
    other.entries_.clear();
    other.hashes_.clear();
    other.index_.clear();
  }
  return *this;
}

void Context::reserve(std::size_t capacity) {
  entries_.reserve(capacity);
}

std::size_t Context::find(std::string_view key, std::size_t hash,
                          std::size_t* slot) const noexcept {
  if (index_.empty()) {
    for (std::size_t i = 0; i < live_; ++i) {
      if (same_key(entries_[i].key, key)) {
        return i;
      }
    }
    return npos;
  }
  const std::size_t mask = index_.size() - 1;
  for (std::size_t probe = hash & mask;; probe = (probe + 1) & mask) {
    const std::uint32_t position = index_[probe];
    if (slot != nullptr) {
      *slot = probe;
    }
    if (position == 0) {
      return npos;
    }
    const std::size_t i = position - 1;
    if (hashes_[i] == hash && same_key(entries_[i].key, key)) {
      return i;
    }
  }
}

const Context::Json* Context::get(std::string_view key) const noexcept {
  const std::size_t i = find(key, index_.empty() ? 0 : hash(key));
  return i == npos ? nullptr : &entries_[i].value;
}

std::size_t Context::hash(std::string_view key) noexcept {
  return std::hash<std::string_view>{}(key);
}

void Context::set(std::string_view key, std::size_t key_hash, Json&& value) {
  place(key, key_hash).swap(value);  // no temporary: the old value leaves with the argument
}

Context::Json& Context::place(std::string_view key, std::size_t key_hash) {
  if (index_.empty()) {
    // The common case, without the index: an existing key, or a spare entry to fill.
    for (std::size_t i = 0; i < live_; ++i) {
      if (same_key(entries_[i].key, key)) {
        return entries_[i].value;
      }
    }
    if (live_ < scan_limit && live_ < entries_.size()) {
      Entry& spare = entries_[live_];
      give_key(spare.key, key);
      ++live_;
      return spare.value;
    }
  }
  std::size_t slot = 0;
  if (const std::size_t i = find(key, key_hash, &slot); i != npos) {
    return entries_[i].value;
  }
  if (!index_.empty() && live_ < entries_.size() && index_.size() >= 2 * (live_ + 1) &&
      hashes_.size() < hashes_.capacity()) {
    // The common case with the index: a spare to fill and room everywhere, nothing to grow.
    Entry& spare = entries_[live_];
    give_key(spare.key, key);  // the only step that can throw, before anything changes
    hashes_.push_back(key_hash);
    ++live_;
    index_[slot] = static_cast<std::uint32_t>(live_);  // the empty slot find() stopped at
    return spare.value;
  }
  // Everything that can throw happens before the context changes.
  const std::size_t count = live_ + 1;
  const bool indexed = !index_.empty();
  std::vector<std::uint32_t> grown_index;
  std::vector<std::size_t> all_hashes;  // when the context outgrows scanning: every key's hash
  if (count > scan_limit && index_.size() < 2 * count) {  // keeps the load factor at most 1/2
    grown_index.resize(std::bit_ceil(4 * count));
    if (!indexed) {
      all_hashes.reserve(2 * count);
      for (std::size_t i = 0; i < live_; ++i) {
        all_hashes.push_back(hash(entries_[i].key));
      }
    }
  }
  if (indexed && hashes_.capacity() < count) {
    hashes_.reserve(std::max(count, 2 * hashes_.capacity()));  // geometric, like entries_
  }
  Json& value = append(key).value;
  ++live_;
  if (indexed) {
    hashes_.push_back(key_hash);  // reserved above
  } else if (!grown_index.empty()) {
    all_hashes.push_back(hash(key));  // reserved above
    hashes_.swap(all_hashes);
  }
  if (!grown_index.empty()) {
    index_.swap(grown_index);
    rebuild_index();
  } else if (indexed) {
    index_[slot] = static_cast<std::uint32_t>(count);  // the empty slot find() stopped at
  }
  return value;
}

Context::Entry& Context::append(std::string_view key) {
  if (live_ < entries_.size()) {
    Entry& spare = entries_[live_];
    give_key(spare.key, key);
    return spare;
  }
  // The key is copied once, into the stored entry. (Braces, not emplace_back's parentheses:
  // clang 14 has no parenthesised aggregate initialisation.)
  Entry& entry = entries_.emplace_back(Entry{});
  try {
    entry.key.assign(key);
  } catch (...) {
    entries_.pop_back();
    throw;
  }
  return entry;
}

void Context::release_value(std::size_t i) noexcept {
  Json released;
  entries_[i].value.swap(released);
}

void Context::index_insert(std::size_t entry) noexcept {
  const std::size_t mask = index_.size() - 1;
  std::size_t slot = hashes_[entry] & mask;
  while (index_[slot] != 0) {
    slot = (slot + 1) & mask;
  }
  index_[slot] = static_cast<std::uint32_t>(entry + 1);
}

void Context::rebuild_index() noexcept {
  std::fill(index_.begin(), index_.end(), 0U);
  for (std::size_t i = 0; i < live_; ++i) {
    index_insert(i);
  }
}

bool Context::erase(std::string_view key) {
  const std::size_t i = find(key, index_.empty() ? 0 : hash(key));
  if (i == npos) {
    return false;
  }
  // The erased entry becomes the first spare; the ones after it keep their order.
  const auto first = entries_.begin();
  std::rotate(first + static_cast<std::ptrdiff_t>(i), first + static_cast<std::ptrdiff_t>(i) + 1,
              first + static_cast<std::ptrdiff_t>(live_));
  --live_;
  release_value(live_);  // spare values never own memory
  if (!index_.empty()) {
    hashes_.erase(hashes_.begin() + static_cast<std::ptrdiff_t>(i));
    rebuild_index();  // positions after i moved down; erase is rare enough to pay O(n)
  }
  return true;
}

void Context::clear() noexcept {
  for (std::size_t i = 0; i < live_; ++i) {
    if (owns_memory(entries_[i].value)) {
      release_value(i);
    }
  }
  live_ = 0;
  hashes_.clear();
  std::fill(index_.begin(), index_.end(), 0U);
}

void Context::take_all(Context& source) {
  for (std::size_t i = 0; i < source.live_; ++i) {
    Entry& entry = source.entries_[i];
    set(entry.key, std::move(entry.value));
  }
  source.clear();
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
