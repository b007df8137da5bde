#pragma once

// The Value inside a SharedValue, for the zen module's own code.

#include <logic_graph/engine/expr/zen_shared_value.hpp>

#include "zen/zen_value.hpp"

#include <new>
#include <utility>

namespace lg::zen {

struct SharedValueAccess {
  [[nodiscard]] static const Value& get(const SharedValue& v) noexcept {
    return *std::launder(reinterpret_cast<const Value*>(v.storage_));
  }
  [[nodiscard]] static Value& get(SharedValue& v) noexcept {
    return *std::launder(reinterpret_cast<Value*>(v.storage_));
  }
  [[nodiscard]] static SharedValue make(Value v) noexcept {
    SharedValue out;
    get(out) = std::move(v);
    return out;
  }
};

}  // namespace lg::zen
