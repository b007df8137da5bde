#pragma once

// ZEN's numbers: decimal, not binary floating point, so that 0.1 + 0.2 == 0.3. A value is a
// sign, a magnitude below 2^96 and a scale of 0 to 28 (value = magnitude / 10^scale), the
// range and precision of ZEN's own decimal type; results that need more digits are rounded
// (half to even), results beyond the range are an overflow (nullopt).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lg::zen {

__extension__ typedef unsigned __int128 uint128;

class Decimal {
 public:
  static constexpr int max_scale = 28;

  constexpr Decimal() noexcept = default;
  static Decimal from_int(std::int64_t i) noexcept;
  static Decimal from_uint(std::uint64_t u) noexcept;
  /// The shortest decimal that reads back as `d` (4.99 is 4.99); nullopt for NaN, infinities
  /// and magnitudes beyond the range.
  static std::optional<Decimal> from_double(double d) noexcept;
  /// `-12`, `3.25`, `1.5e-3`, `1e+3` (ZEN's number literals and number() of a string); nullopt
  /// when `text` is not all a number or is out of range. Extra fraction digits are rounded.
  static std::optional<Decimal> parse(std::string_view text) noexcept;

  [[nodiscard]] std::optional<Decimal> add(const Decimal& b) const noexcept;
  [[nodiscard]] std::optional<Decimal> sub(const Decimal& b) const noexcept;
  [[nodiscard]] std::optional<Decimal> mul(const Decimal& b) const noexcept;
  /// nullopt for a zero divisor, as for an overflow.
  [[nodiscard]] std::optional<Decimal> div(const Decimal& b) const noexcept;
  /// The remainder of a truncated division (its sign is the dividend's).
  [[nodiscard]] std::optional<Decimal> rem(const Decimal& b) const noexcept;
  /// Integer exponents exactly (by squaring); others through double.
  [[nodiscard]] std::optional<Decimal> pow(const Decimal& exponent) const noexcept;
  [[nodiscard]] Decimal negated() const noexcept;
  [[nodiscard]] Decimal abs() const noexcept;

  enum class Rounding { half_away, toward_zero, floor, ceil };
  /// Rounded to `places` fraction digits (0 to 28).
  [[nodiscard]] Decimal rounded(int places, Rounding mode) const noexcept;

  [[nodiscard]] std::strong_ordering compare(const Decimal& b) const noexcept;
  friend bool operator==(const Decimal& a, const Decimal& b) noexcept { return a.compare(b) == 0; }

  [[nodiscard]] bool is_zero() const noexcept { return magnitude_ == 0; }
  [[nodiscard]] bool negative() const noexcept { return negative_ && magnitude_ != 0; }
  [[nodiscard]] bool is_integer() const noexcept;
  /// The value when it is a whole number that fits.
  [[nodiscard]] std::optional<std::int64_t> to_int64() const noexcept;
  [[nodiscard]] std::optional<std::uint64_t> to_uint64() const noexcept;
  [[nodiscard]] double to_double() const noexcept;
  /// With as many fraction digits as the scale, as ZEN's string() writes it: `1.50 + 1` is
  /// "2.50", `2.5e2` is "250".
  [[nodiscard]] std::string to_string() const;
  /// Without trailing fraction zeros and without a point for whole numbers ("2.5", "3"), as
  /// ZEN writes numbers into JSON.
  [[nodiscard]] std::string to_normalized_string() const;

  [[nodiscard]] uint128 magnitude() const noexcept { return magnitude_; }
  [[nodiscard]] int scale() const noexcept { return scale_; }
  /// From parts already in range (magnitude below 2^96, scale at most 28).
  static Decimal from_parts(uint128 magnitude, int scale, bool negative) noexcept;

 private:
  uint128 magnitude_ = 0;
  std::uint8_t scale_ = 0;
  bool negative_ = false;
};

}  // namespace lg::zen
