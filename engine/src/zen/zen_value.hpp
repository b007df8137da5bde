#pragma once

// A value of ZEN's language: null, bool, decimal number, string, array, object or interval.
// Strings, arrays and objects are immutable and shared, so that passing them between
// operators, closures and the input copies a pointer, never the contents.

#include "zen/decimal.hpp"
#include "zen/zen_date.hpp"
#include "zen/zen_object.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lg::zen {

/// What an evaluation may build, so that a short expression cannot exhaust memory or, through
/// recursion over a deep value, the stack: a longer string, a larger array or object or a
/// deeper value makes the constructor throw std::length_error.
inline constexpr std::size_t max_string_bytes = std::size_t{16} << 20;
inline constexpr std::size_t max_elements = std::size_t{1} << 22;
inline constexpr std::size_t max_value_depth = 256;
/// The bytes of strings, arrays and objects one evaluation may build in all.
inline constexpr std::size_t max_built_bytes = std::size_t{256} << 20;

/// While one lives, values built on its thread count against its bytes; past them a
/// constructor throws std::length_error. Without one (the input's conversion), nothing counts.
class BuildBudget {
 public:
  explicit BuildBudget(std::size_t bytes) noexcept;
  ~BuildBudget();
  BuildBudget(const BuildBudget&) = delete;
  BuildBudget& operator=(const BuildBudget&) = delete;

  static void charge(std::size_t bytes);

 private:
  std::size_t left_;
  BuildBudget* outer_;
};

class Value;
using Array = std::vector<Value>;
using Object = FlatObject<Value>;

struct Interval;

class Value {
 public:
  enum class Kind : std::uint8_t { null, boolean, number, string, array, object, interval, date };

  Value() noexcept = default;
  static Value boolean(bool b) { return Value(Data(b)); }
  static Value number(const Decimal& d) { return Value(Data(d)); }
  static Value string(std::string s);
  static Value array(Array a);
  static Value object(Object o);
  static Value interval(Interval i);
  static Value date(const Date& d) { return Value(Data(d)); }
  /// Numbers a decimal cannot hold (beyond 2^96) become null, as in ZEN.
  static Value from_json(const nlohmann::json& j);

  /// How deeply arrays and objects nest in the value: 0 for a scalar.
  [[nodiscard]] std::size_t depth() const noexcept { return depth_; }
  [[nodiscard]] Kind kind() const noexcept { return static_cast<Kind>(data_.index()); }
  [[nodiscard]] bool is_null() const noexcept { return kind() == Kind::null; }
  [[nodiscard]] bool is_bool() const noexcept { return kind() == Kind::boolean; }
  [[nodiscard]] bool is_number() const noexcept { return kind() == Kind::number; }
  [[nodiscard]] bool is_string() const noexcept { return kind() == Kind::string; }
  [[nodiscard]] bool is_array() const noexcept { return kind() == Kind::array; }
  [[nodiscard]] bool is_object() const noexcept { return kind() == Kind::object; }
  [[nodiscard]] bool is_interval() const noexcept { return kind() == Kind::interval; }
  [[nodiscard]] bool is_date() const noexcept { return kind() == Kind::date; }

  [[nodiscard]] bool as_bool() const noexcept { return std::get<bool>(data_); }
  [[nodiscard]] const Decimal& as_number() const noexcept { return std::get<Decimal>(data_); }
  [[nodiscard]] const std::string& as_string() const noexcept {
    return *std::get<StringPtr>(data_);
  }
  [[nodiscard]] const Array& as_array() const noexcept { return *std::get<ArrayPtr>(data_); }
  [[nodiscard]] const Object& as_object() const noexcept { return *std::get<ObjectPtr>(data_); }
  [[nodiscard]] const Interval& as_interval() const noexcept;
  [[nodiscard]] const Date& as_date() const noexcept { return std::get<Date>(data_); }

  /// The member `key` of an object; null for a missing key or a non-object.
  [[nodiscard]] Value member(std::string_view key) const;
  /// JSON as ZEN gives it: whole numbers as integers, others as doubles; a date as ISO-8601
  /// text; an interval as null.
  [[nodiscard]] nlohmann::json to_json() const;
  /// ZEN's type() name: "null", "bool", "number", "string", "array", "object", "interval",
  /// "date".
  [[nodiscard]] std::string_view type_name() const noexcept;

 private:
  using StringPtr = std::shared_ptr<const std::string>;
  using ArrayPtr = std::shared_ptr<const Array>;
  using ObjectPtr = std::shared_ptr<const Object>;
  using IntervalPtr = std::shared_ptr<const Interval>;
  using Data = std::variant<std::monostate, bool, Decimal, StringPtr, ArrayPtr, ObjectPtr,
                            IntervalPtr, Date>;

  static Value from_json(const nlohmann::json& j, std::size_t depth);
  explicit Value(Data d, std::uint16_t depth = 0) noexcept : data_(std::move(d)), depth_(depth) {}

  Data data_;
  std::uint16_t depth_ = 0;
};

/// `[a..b]`, `(a..b)` and the half-open forms, over numbers or dates.
struct Interval {
  Value low;
  Value high;
  bool low_open = false;
  bool high_open = false;
};

inline const Interval& Value::as_interval() const noexcept {
  return *std::get<IntervalPtr>(data_);
}

/// ZEN's `==`: numbers, bools, strings, nulls and valid dates by value; anything else is
/// unequal.
[[nodiscard]] bool equal(const Value& a, const Value& b) noexcept;

}  // namespace lg::zen
