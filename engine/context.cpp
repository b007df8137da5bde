#include <logic_graph/engine/context.hpp>

#include <logic_graph/memory/detail/counting_hook.hpp>
#include <logic_graph/memory/memory_metrics.hpp>

#include <algorithm>
#include <bit>
#include <functional>

namespace lg {
namespace {

// Up to this many keys a scan over the stored hashes beats probing an index.
constexpr std::size_t scan_limit = 16;

// Skips global_metrics()'s flush of pending counts: construction is a hot path.
void record_created() noexcept {
  memory::detail::metrics_without_flush().record_context_alloc();
}

}  // namespace

Context::Context(std::size_t initial_capacity) {
  reserve(initial_capacity);
  record_created();
}

Context::Context(const Context& other)
    : entries_(other.entries_), hashes_(other.hashes_), index_(other.index_) {
  record_created();
}

Context& Context::operator=(const Context& other) {
  if (this != &other) {
    Context copy(other);
    *this = std::move(copy);
  }
  return *this;
}

void Context::reserve(std::size_t capacity) {
  entries_.reserve(capacity);
}

std::size_t Context::find(std::string_view key, std::size_t hash,
                          std::size_t* slot) const noexcept {
  if (index_.empty()) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].key == key) {
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
    if (hashes_[i] == hash && entries_[i].key == key) {
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
  std::size_t slot = 0;
  if (const std::size_t i = find(key, key_hash, &slot); i != npos) {
    entries_[i].value.swap(value);  // no temporary: the old value leaves with the argument
    return;
  }
  // Everything that can throw happens before the context changes.
  const std::size_t count = entries_.size() + 1;
  const bool indexed = !index_.empty();
  std::vector<std::uint32_t> grown_index;
  std::vector<std::size_t> all_hashes;  // when the context outgrows scanning: every key's hash
  if (count > scan_limit && index_.size() < 2 * count) {  // keeps the load factor at most 1/2
    grown_index.resize(std::bit_ceil(4 * count));
    if (!indexed) {
      all_hashes.reserve(2 * count);
      for (const Entry& entry : entries_) {
        all_hashes.push_back(hash(entry.key));
      }
    }
  }
  if (indexed && hashes_.capacity() < count) {
    hashes_.reserve(std::max(count, 2 * hashes_.capacity()));  // geometric, like entries_
  }
  // The value is moved in and the key copied once, into the stored entry. (Braces, not
  // emplace_back's parentheses: clang 14 has no parenthesised aggregate initialisation.)
  Entry& entry = entries_.emplace_back(Entry{std::string(), std::move(value)});
  try {
    entry.key.assign(key);
  } catch (...) {
    entries_.pop_back();
    throw;
  }
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
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    index_insert(i);
  }
}

bool Context::erase(std::string_view key) {
  const std::size_t i = find(key, index_.empty() ? 0 : hash(key));
  if (i == npos) {
    return false;
  }
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
  if (!index_.empty()) {
    hashes_.erase(hashes_.begin() + static_cast<std::ptrdiff_t>(i));
    rebuild_index();  // positions after i moved down; erase is rare enough to pay O(n)
  }
  return true;
}

void Context::clear() noexcept {
  entries_.clear();
  hashes_.clear();
  std::fill(index_.begin(), index_.end(), 0U);
}

void Context::take_all(Context& source) {
  for (Entry& entry : source.entries_) {
    set(entry.key, std::move(entry.value));
  }
  source.clear();
}

Context::Json Context::to_json() const {
  Json object = Json::object();
  for (const Entry& entry : entries_) {
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
