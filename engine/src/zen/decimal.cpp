#include "zen/decimal.hpp"

#include "zen/wide_uint.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace lg::zen {
namespace {

constexpr uint128 limit = uint128{1} << 96;  // magnitudes stay below

constexpr std::array<uint128, 39> powers_of_ten = [] {
  std::array<uint128, 39> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) {
    p[i] = p[i - 1] * 10;
  }
  return p;
}();

WideUint scaled_up(uint128 m, int by) noexcept {
  WideUint w = WideUint::of(m);
  while (by > 0) {
    const int step = by > 19 ? 19 : by;
    w = w.times(static_cast<std::uint64_t>(powers_of_ten[static_cast<std::size_t>(step)]));
    by -= step;
  }
  return w;
}

// Brings a wide magnitude at `scale` into range, dropping fraction digits with half-to-even
// rounding (`sticky`: digits already dropped were not all zero).
std::optional<Decimal> fit(WideUint m, int scale, bool negative, bool sticky = false) noexcept {
  std::uint64_t last = 0;
  bool dropped = false;
  while (scale > 0 && (scale > Decimal::max_scale || !m.fits_128() || m.low_128() >= limit)) {
    sticky = sticky || (dropped && last != 0);
    m = m.divided(10, last);
    dropped = true;
    --scale;
  }
  if (!m.fits_128() || m.low_128() >= limit || scale < 0) {
    return std::nullopt;
  }
  uint128 out = m.low_128();
  if (dropped && (last > 5 || (last == 5 && (sticky || (out & 1) != 0)))) {
    if (++out >= limit) {
      if (scale == 0) {
        return std::nullopt;
      }
      out /= 10;  // 999..9 rounded up to 1000..0: one digit fewer, exactly
      --scale;
    }
  }
  return Decimal::from_parts(out, scale, negative);
}

// Both magnitudes at the larger scale.
void align(const Decimal& a, const Decimal& b, WideUint& ma, WideUint& mb, int& scale) noexcept {
  scale = a.scale() > b.scale() ? a.scale() : b.scale();
  ma = scaled_up(a.magnitude(), scale - a.scale());
  mb = scaled_up(b.magnitude(), scale - b.scale());
}

std::optional<Decimal> signed_sum(const Decimal& a, const Decimal& b, bool b_negative) noexcept {
  WideUint ma;
  WideUint mb;
  int scale = 0;
  align(a, b, ma, mb, scale);
  if (a.negative() == b_negative || b.is_zero()) {
    return fit(ma.plus(mb), scale, a.negative());
  }
  if (ma >= mb) {
    return fit(ma.minus(mb), scale, a.negative());
  }
  return fit(mb.minus(ma), scale, b_negative);
}

std::string digits_of(uint128 m) {
  std::array<char, 40> buf{};
  std::size_t n = buf.size();
  do {
    buf[--n] = static_cast<char>('0' + static_cast<int>(m % 10));
    m /= 10;
  } while (m != 0);
  return std::string(buf.data() + n, buf.size() - n);
}

}  // namespace

Decimal Decimal::from_parts(uint128 magnitude, int scale, bool negative) noexcept {
  Decimal d;
  d.magnitude_ = magnitude;
  d.scale_ = static_cast<std::uint8_t>(scale);
  d.negative_ = negative && magnitude != 0;
  return d;
}

Decimal Decimal::from_int(std::int64_t i) noexcept {
  const bool neg = i < 0;
  const std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
  return from_parts(u, 0, neg);
}

Decimal Decimal::from_uint(std::uint64_t u) noexcept {
  return from_parts(u, 0, false);
}

std::optional<Decimal> Decimal::from_double(double d) noexcept {
  if (!std::isfinite(d)) {
    return std::nullopt;
  }
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  return parse(std::string_view(buf.data(), static_cast<std::size_t>(res.ptr - buf.data())));
}

std::optional<Decimal> Decimal::parse(std::string_view text) noexcept {
  // The common case first: up to 18 digits, an optional point, no exponent.
  {
    std::size_t i = text.empty() || (text[0] != '-' && text[0] != '+') ? 0 : 1;
    std::uint64_t m = 0;
    int digits = 0;
    int scale = 0;
    bool point = false;
    for (; i < text.size() && digits <= 18; ++i) {
      const char c = text[i];
      if (c >= '0' && c <= '9') {
        m = m * 10 + static_cast<std::uint64_t>(c - '0');
        ++digits;
        scale += point ? 1 : 0;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (i == text.size() && digits > 0 && digits <= 18 && scale <= max_scale) {
      return from_parts(m, scale, text[0] == '-');
    }
  }
  std::size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    neg = text[i++] == '-';
  }
  WideUint m;
  int scale = 0;
  int kept = 0;  // significant digits held in m
  bool any = false;
  bool sticky = false;
  bool point = false;
  int dropped_int = 0;  // integer digits beyond what m holds
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') {
      break;
    }
    any = true;
    if (kept >= 60) {  // beyond any representable precision: only rounding is left to decide
      sticky = sticky || c != '0';
      dropped_int += point ? 0 : 1;
      continue;
    }
    m = m.times(10).plus(WideUint::of(static_cast<uint128>(c - '0')));
    if (!m.is_zero()) {
      ++kept;
    }
    scale += point ? 1 : 0;
  }
  if (!any) {
    return std::nullopt;
  }
  long exponent = dropped_int;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      eneg = text[i++] == '-';
    }
    long e = 0;
    bool edigits = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      edigits = true;
      e = e < 100000 ? e * 10 + (text[i] - '0') : e;
    }
    if (!edigits) {
      return std::nullopt;
    }
    exponent += eneg ? -e : e;
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  long s = static_cast<long>(scale) - exponent;
  if (s < 0) {
    if (m.is_zero()) {
      return from_parts(0, 0, false);
    }
    if (s < -28 || !m.fits_128() || m.low_128() >= limit) {
      return std::nullopt;
    }
    m = scaled_up(m.low_128(), static_cast<int>(-s));
    s = 0;
  }
  if (s > 200) {  // far below the smallest step: zero, or rounding decides nothing
    return from_parts(0, max_scale, neg);
  }
  return fit(m, static_cast<int>(s), neg, sticky);
}

std::optional<Decimal> Decimal::add(const Decimal& b) const noexcept {
  return signed_sum(*this, b, b.negative());
}

std::optional<Decimal> Decimal::sub(const Decimal& b) const noexcept {
  return signed_sum(*this, b, !b.negative());
}

std::optional<Decimal> Decimal::mul(const Decimal& b) const noexcept {
  return fit(WideUint::product(magnitude_, b.magnitude_), scale_ + b.scale_,
             negative() != b.negative());
}

std::optional<Decimal> Decimal::div(const Decimal& b) const noexcept {
  if (b.is_zero()) {
    return std::nullopt;
  }
  const uint128 d = b.magnitude_;
  uint128 q = magnitude_ / d;
  uint128 r = magnitude_ % d;
  int scale = scale_ - b.scale_;
  // One quotient digit per step (r < d < 2^96, so r * 10 fits), until exact or out of digits.
  const auto step = [&] {
    r *= 10;
    q = q * 10 + r / d;
    r %= d;
    ++scale;
  };
  while (scale < 0) {
    if (q >= limit / 10) {
      return std::nullopt;
    }
    step();
  }
  while (r != 0 && scale < max_scale && q < (limit - 9) / 10) {
    step();
  }
  const uint128 twice = r * 2;
  if (twice > d || (twice == d && (q & 1) != 0)) {
    ++q;
  }
  return fit(WideUint::of(q), scale, negative() != b.negative());
}

std::optional<Decimal> Decimal::rem(const Decimal& b) const noexcept {
  if (b.is_zero()) {
    return std::nullopt;
  }
  WideUint ma;
  WideUint mb;
  int scale = 0;
  align(*this, b, ma, mb, scale);
  if (!ma.fits_128() || !mb.fits_128()) {
    return std::nullopt;
  }
  return fit(WideUint::of(ma.low_128() % mb.low_128()), scale, negative());
}

std::optional<Decimal> Decimal::pow(const Decimal& exponent) const noexcept {
  const auto whole = exponent.to_int64();
  if (!whole || *whole > 4096 || *whole < -4096) {
    return from_double(std::pow(to_double(), exponent.to_double()));
  }
  std::uint64_t e =
      *whole < 0 ? static_cast<std::uint64_t>(-*whole) : static_cast<std::uint64_t>(*whole);
  Decimal result = from_int(1);
  Decimal base = *this;
  while (e != 0) {
    if ((e & 1) != 0) {
      const auto next = result.mul(base);
      if (!next) {
        return std::nullopt;
      }
      result = *next;
    }
    e >>= 1;
    if (e != 0) {
      const auto sq = base.mul(base);
      if (!sq) {
        return std::nullopt;
      }
      base = *sq;
    }
  }
  return *whole < 0 ? from_int(1).div(result) : std::optional<Decimal>(result);
}

Decimal Decimal::negated() const noexcept {
  return from_parts(magnitude_, scale_, !negative_);
}

Decimal Decimal::abs() const noexcept {
  return from_parts(magnitude_, scale_, false);
}

Decimal Decimal::rounded(int places, Rounding mode) const noexcept {
  if (places < 0) {
    places = 0;
  }
  if (places >= scale_) {
    return *this;
  }
  const uint128 unit = powers_of_ten[static_cast<std::size_t>(scale_ - places)];
  uint128 q = magnitude_ / unit;
  const uint128 r = magnitude_ % unit;
  bool up = false;
  switch (mode) {
    case Rounding::half_away:
      up = r * 2 >= unit;
      break;
    case Rounding::toward_zero:
      break;
    case Rounding::floor:
      up = r != 0 && negative();
      break;
    case Rounding::ceil:
      up = r != 0 && !negative();
      break;
  }
  q += up ? 1 : 0;
  return from_parts(q, places, negative_);
}

std::strong_ordering Decimal::compare(const Decimal& b) const noexcept {
  if (negative() != b.negative()) {
    return negative() ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  WideUint ma;
  WideUint mb;
  int scale = 0;
  align(*this, b, ma, mb, scale);
  const auto by_magnitude = ma <=> mb;
  return negative() ? 0 <=> by_magnitude : by_magnitude;
}

bool Decimal::is_integer() const noexcept {
  return scale_ == 0 || magnitude_ % powers_of_ten[scale_] == 0;
}

std::optional<std::uint64_t> Decimal::to_uint64() const noexcept {
  if (!is_integer() || negative()) {
    return std::nullopt;
  }
  const uint128 v = magnitude_ / powers_of_ten[scale_];
  if (v > UINT64_MAX) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(v);
}

std::optional<std::int64_t> Decimal::to_int64() const noexcept {
  if (!is_integer()) {
    return std::nullopt;
  }
  const uint128 v = magnitude_ / powers_of_ten[scale_];
  if (v > (negative() ? uint128{1} << 63 : (uint128{1} << 63) - 1)) {
    return std::nullopt;
  }
  return negative() ? static_cast<std::int64_t>(0 - static_cast<std::uint64_t>(v))
                    : static_cast<std::int64_t>(v);
}

double Decimal::to_double() const noexcept {
  // Both operands exact in a double, so the one IEEE division is correctly rounded.
  constexpr uint128 exact_limit = uint128{1} << 53;
  if (magnitude_ < exact_limit && scale_ <= 22) {
    constexpr std::array<double, 23> tens = [] {
      std::array<double, 23> t{};
      t[0] = 1.0;
      for (std::size_t i = 1; i < t.size(); ++i) {
        t[i] = t[i - 1] * 10.0;
      }
      return t;
    }();
    const double d = static_cast<double>(static_cast<std::uint64_t>(magnitude_)) / tens[scale_];
    return negative() ? -d : d;
  }
  const std::string s = to_normalized_string();
  return std::strtod(s.c_str(), nullptr);
}

std::string Decimal::to_normalized_string() const {
  uint128 m = magnitude_;
  int scale = scale_;
  while (scale > 0 && m % 10 == 0) {
    m /= 10;
    --scale;
  }
  return from_parts(m, scale, negative_).to_string();
}

std::string Decimal::to_string() const {
  const uint128 m = magnitude_;
  const int scale = scale_;
  std::string digits = digits_of(m);
  if (scale > 0) {
    const auto width = static_cast<std::size_t>(scale);
    if (digits.size() <= width) {
      digits.insert(0, width + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - width, 1, '.');
  }
  if (negative()) {
    digits.insert(0, 1, '-');
  }
  return digits;
}

}  // namespace lg::zen
