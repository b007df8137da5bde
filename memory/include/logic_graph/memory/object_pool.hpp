#pragma once

#include <logic_graph/memory/impl/pool_core.hpp>
#include <logic_graph/memory/pool_config.hpp>

#include <concepts>
#include <cstddef>
#include <utility>

namespace lg::memory {

/// What a pool can hold: made with a capacity, emptied by clear() without losing that capacity.
template <class T>
concept Poolable = std::constructible_from<T, std::size_t> && requires(T& object) {
  { object.clear() }
  noexcept;
};
template <Poolable T>
class ObjectPool;
template <Poolable T>
class PoolLease;

namespace detail {
// For code that manages pooled objects by hand (the executor hands them across threads).
template <Poolable T>
PoolCore& core_of(ObjectPool<T>& pool) noexcept;
/// Ends the lease without returning the object; give it back later with core.release().
template <Poolable T>
T* detach(PoolLease<T>&& lease) noexcept;
}  // namespace detail

/// Sole ownership of one pooled object; hands it back to its pool when it goes out of scope.
/// The pool must outlive its leases.
template <Poolable T>
class PoolLease {
 public:
  PoolLease() noexcept = default;
  PoolLease(PoolLease&& other) noexcept
      : core_(std::exchange(other.core_, nullptr)),
        object_(std::exchange(other.object_, nullptr)) {}
  PoolLease& operator=(PoolLease&& other) noexcept {
    if (this != &other) {
      release();
      core_ = std::exchange(other.core_, nullptr);
      object_ = std::exchange(other.object_, nullptr);
    }
    return *this;
  }
  ~PoolLease() { release(); }

  /// Returns the object to its pool now (emptied); the lease is empty afterwards.
  void release() noexcept {
    if (object_ != nullptr) {
      core_->release(std::exchange(object_, nullptr));
    }
  }

  [[nodiscard]] T* get() const noexcept { return object_; }
  T* operator->() const noexcept { return object_; }
  T& operator*() const noexcept { return *object_; }
  explicit operator bool() const noexcept { return object_ != nullptr; }

 private:
  template <Poolable>
  friend class ObjectPool;
  friend T* detail::detach<T>(PoolLease<T>&& lease) noexcept;
  PoolLease(detail::PoolCore* core, T* object) noexcept : core_(core), object_(object) {}

  detail::PoolCore* core_ = nullptr;
  T* object_ = nullptr;
};

/// A thread-safe pool of reusable objects (the engine's `lg::ContextPool` is one).
///
/// Each thread keeps the last object it released in a cache of its own (one per pool), which
/// its next acquire takes without a lock; the other idle objects are shared in a few
/// spin-locked lists. The caches count towards max_pooled, size() and stats(); clear() empties
/// them too, and a thread's cached object goes back to the shared lists when the thread ends.
///
/// @code
/// lg::ContextPool pool{{.max_pooled = 200, .initial_capacity = 32}};
/// {
///   auto ctx = pool.acquire();      // a lease: returned to the pool at scope exit
///   ctx->set("key", "value");
/// }
/// auto ctx = pool.acquire();
/// pool.release(std::move(ctx));     // or hand it back explicitly, as in the seed guide
/// std::printf("reuse %.1f%%\n", pool.reuse_rate());
/// @endcode
template <Poolable T>
class ObjectPool {
 public:
  explicit ObjectPool(const PoolConfig& config = {}) : core_(config, ops()) {}

  /// An idle object if there is one, a new one otherwise. Never blocks on other holders.
  [[nodiscard]] PoolLease<T> acquire() { return {&core_, static_cast<T*>(core_.acquire())}; }
  /// Hands a lease's object back (to the pool it came from), emptied.
  void release(PoolLease<T>&& lease) noexcept { lease.release(); }
  /// Creates idle objects until `count` are pooled (bounded by max_pooled): a warm start.
  void reserve(std::size_t count) { core_.reserve(count); }
  /// Destroys every idle object, the ones cached by other threads included.
  void clear() noexcept { core_.clear(); }

  [[nodiscard]] PoolStats stats() const noexcept { return core_.stats(); }
  /// Share of acquisitions served by reuse, in percent.
  [[nodiscard]] double reuse_rate() const noexcept { return core_.stats().reuse_rate(); }
  /// Idle objects held now.
  [[nodiscard]] std::size_t size() const noexcept { return core_.size(); }
  [[nodiscard]] const PoolConfig& config() const noexcept { return core_.config(); }

 private:
  friend detail::PoolCore& detail::core_of<T>(ObjectPool<T>& pool) noexcept;

  static detail::PoolObjectOps ops() noexcept {
    return {[](std::size_t capacity) -> void* { return new T(capacity); },
            [](void* object) noexcept { static_cast<T*>(object)->clear(); },
            [](void* object) noexcept { delete static_cast<T*>(object); }};
  }

  detail::PoolCore core_;
};

template <Poolable T>
detail::PoolCore& detail::core_of(ObjectPool<T>& pool) noexcept {
  return pool.core_;
}

template <Poolable T>
T* detail::detach(PoolLease<T>&& lease) noexcept {
  lease.core_ = nullptr;
  return std::exchange(lease.object_, nullptr);
}

}  // namespace lg::memory
