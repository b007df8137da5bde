#pragma once

// A 256-bit unsigned integer, only as wide as decimal arithmetic needs between two in-range
// operands: a product of two 96-bit magnitudes, or one scaled by 10^28 (190 bits).

#include "zen/decimal.hpp"

#include <array>
#include <cstdint>

namespace lg::zen {

struct WideUint {
  std::array<std::uint64_t, 4> limb{};  // little end first

  static WideUint of(uint128 v) noexcept {
    WideUint w;
    w.limb[0] = static_cast<std::uint64_t>(v);
    w.limb[1] = static_cast<std::uint64_t>(v >> 64);
    return w;
  }
  [[nodiscard]] bool fits_128() const noexcept { return limb[2] == 0 && limb[3] == 0; }
  [[nodiscard]] uint128 low_128() const noexcept {
    return (static_cast<uint128>(limb[1]) << 64) | limb[0];
  }
  [[nodiscard]] bool is_zero() const noexcept {
    return (limb[0] | limb[1] | limb[2] | limb[3]) == 0;
  }

  /// *this * m, assuming no carry out of the top limb (callers stay below 2^256).
  [[nodiscard]] WideUint times(std::uint64_t m) const noexcept {
    WideUint r;
    uint128 carry = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const uint128 p = static_cast<uint128>(limb[i]) * m + carry;
      r.limb[i] = static_cast<std::uint64_t>(p);
      carry = p >> 64;
    }
    return r;
  }
  /// *this / d, the remainder in `rem`.
  [[nodiscard]] WideUint divided(std::uint64_t d, std::uint64_t& rem) const noexcept {
    WideUint q;
    uint128 r = 0;
    for (std::size_t i = 4; i-- > 0;) {
      const uint128 cur = (r << 64) | limb[i];
      q.limb[i] = static_cast<std::uint64_t>(cur / d);
      r = cur % d;
    }
    rem = static_cast<std::uint64_t>(r);
    return q;
  }
  [[nodiscard]] WideUint plus(const WideUint& b) const noexcept {
    WideUint r;
    uint128 carry = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const uint128 s = static_cast<uint128>(limb[i]) + b.limb[i] + carry;
      r.limb[i] = static_cast<std::uint64_t>(s);
      carry = s >> 64;
    }
    return r;
  }
  /// *this - b for *this >= b.
  [[nodiscard]] WideUint minus(const WideUint& b) const noexcept {
    WideUint r;
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const std::uint64_t sub = b.limb[i] + borrow;
      const bool under = limb[i] < sub || (borrow != 0 && sub == 0);
      r.limb[i] = limb[i] - sub;
      borrow = under ? 1 : 0;
    }
    return r;
  }
  friend std::strong_ordering operator<=>(const WideUint& a, const WideUint& b) noexcept {
    for (std::size_t i = 4; i-- > 0;) {
      if (a.limb[i] != b.limb[i]) {
        return a.limb[i] <=> b.limb[i];
      }
    }
    return std::strong_ordering::equal;
  }
  friend bool operator==(const WideUint& a, const WideUint& b) noexcept = default;

  /// The product of two values below 2^128.
  static WideUint product(uint128 a, uint128 b) noexcept {
    const WideUint wa = of(a);
    WideUint lo = wa.times(static_cast<std::uint64_t>(b));
    WideUint hi = wa.times(static_cast<std::uint64_t>(b >> 64));
    hi.limb = {0, hi.limb[0], hi.limb[1], hi.limb[2]};
    return lo.plus(hi);
  }
};

}  // namespace lg::zen
