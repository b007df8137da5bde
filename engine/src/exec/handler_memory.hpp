#pragma once

#include <logic_graph/memory/object_pool.hpp>

#include <cstddef>
#include <memory>

namespace lg::detail {

/// Memory for one small handler the executor posts to its own thread pool.
struct HandlerBlock {
  explicit HandlerBlock(std::size_t /*capacity*/) noexcept {}
  void clear() noexcept {}
  alignas(std::max_align_t) std::byte bytes[128];
};

/// Recycles the memory of the executor's posted handlers through a pool.
///
/// Left to itself, Asio takes a posted handler's memory with std::aligned_alloc whenever the
/// posting thread's two-block cache is empty: about three times per execution when executions
/// start on one thread and finish on others (out of sight of operator new, so of the counting
/// target too). Pooled blocks move between threads through the pool's thread caches instead.
template <class T>
class HandlerAllocator {
 public:
  using value_type = T;

  explicit HandlerAllocator(memory::ObjectPool<HandlerBlock>& blocks) noexcept : blocks_(&blocks) {}
  template <class U>
  HandlerAllocator(const HandlerAllocator<U>& other) noexcept  // NOLINT: rebinding converts
      : blocks_(other.blocks_) {}

  T* allocate(std::size_t n) {
    if (!fits(n)) {
      return std::allocator<T>().allocate(n);
    }
    auto* block = static_cast<HandlerBlock*>(memory::detail::core_of(*blocks_).acquire());
    return reinterpret_cast<T*>(block->bytes);
  }

  void deallocate(T* pointer, std::size_t n) noexcept {
    if (!fits(n)) {
      std::allocator<T>().deallocate(pointer, n);
      return;
    }
    // `bytes` is the block's only member, so the block starts where the handler does.
    memory::detail::core_of(*blocks_).release(reinterpret_cast<HandlerBlock*>(pointer));
  }

  template <class U>
  bool operator==(const HandlerAllocator<U>& other) const noexcept {
    return blocks_ == other.blocks_;
  }

 private:
  template <class>
  friend class HandlerAllocator;

  static constexpr bool fits(std::size_t n) noexcept {
    return alignof(T) <= alignof(HandlerBlock) && n <= sizeof(HandlerBlock) / sizeof(T);
  }

  memory::ObjectPool<HandlerBlock>* blocks_;
};

}  // namespace lg::detail
