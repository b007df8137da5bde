#pragma once

// The value an evaluation passes between nodes. Scalars are held inline; strings, arrays and
// objects are borrowed from the context or the program whenever possible and owned only when
// the expression builds them, so that reading and comparing never copies JSON.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace lg::detail {

class Value {
 public:
  using Json = nlohmann::json;
  // An integer is `integer` whenever it fits int64, `unsigned_integer` only above INT64_MAX (JSON
  // reads those as unsigned), so that each integer has one kind.
  enum class Kind : std::uint8_t { null, boolean, integer, unsigned_integer, real, json };

  Value() noexcept {}
  Value(const Value& other) { copy_from(other); }
  Value(Value&& other) noexcept { move_from(std::move(other)); }
  Value& operator=(const Value& other) {
    if (this != &other) {
      reset();
      copy_from(other);
    }
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      reset();
      move_from(std::move(other));
    }
    return *this;
  }
  ~Value() { reset(); }

  static Value boolean(bool b) noexcept {
    Value v;
    v.kind_ = Kind::boolean;
    v.b_ = b;
    return v;
  }
  static Value integer(std::int64_t i) noexcept {
    Value v;
    v.kind_ = Kind::integer;
    v.i_ = i;
    return v;
  }
  /// An integer kind, unsigned only when `u` is above INT64_MAX.
  static Value unsigned_integer(std::uint64_t u) noexcept {
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return integer(static_cast<std::int64_t>(u));
    }
    Value v;
    v.kind_ = Kind::unsigned_integer;
    v.u_ = u;
    return v;
  }
  static Value real(double d) noexcept {
    Value v;
    v.kind_ = Kind::real;
    v.d_ = d;
    return v;
  }
  /// Refers to `j` (which must outlive the value); scalars are unpacked so that arithmetic
  /// never has to look at the JSON again.
  static Value borrow(const Json& j) noexcept {
    Value v = scalar(j);
    if (v.kind_ == Kind::json) {
      v.ref_ = &j;
    }
    return v;
  }
  /// Takes `j` over.
  static Value own(Json&& j) noexcept {
    Value v = scalar(j);
    if (v.kind_ == Kind::json) {
      new (&v.owned_) Json(std::move(j));
      v.owns_ = true;
    }
    return v;
  }

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// The JSON referred to when the value is borrowed (a string, array or object), else nullptr.
  [[nodiscard]] const Json* borrowed() const noexcept {
    return kind_ == Kind::json && !owns_ ? ref_ : nullptr;
  }
  [[nodiscard]] bool is_null() const noexcept { return kind_ == Kind::null; }
  [[nodiscard]] bool is_integer() const noexcept {
    return kind_ == Kind::integer || kind_ == Kind::unsigned_integer;
  }
  [[nodiscard]] bool is_number() const noexcept { return is_integer() || kind_ == Kind::real; }
  [[nodiscard]] bool is_string() const noexcept {
    return kind_ == Kind::json && json().is_string();
  }
  [[nodiscard]] bool is_array() const noexcept { return kind_ == Kind::json && json().is_array(); }
  [[nodiscard]] bool is_object() const noexcept {
    return kind_ == Kind::json && json().is_object();
  }

  [[nodiscard]] bool as_bool() const noexcept { return b_; }
  [[nodiscard]] std::int64_t as_int() const noexcept { return i_; }
  /// Kind unsigned_integer only.
  [[nodiscard]] std::uint64_t as_unsigned() const noexcept { return u_; }
  /// Integers (rounded to nearest) and reals as a double.
  [[nodiscard]] double as_real() const noexcept {
    switch (kind_) {
      case Kind::integer:
        return static_cast<double>(i_);
      case Kind::unsigned_integer:
        return static_cast<double>(u_);
      default:
        return d_;
    }
  }
  /// The string, array or object (kind json only).
  [[nodiscard]] const Json& json() const noexcept { return owns_ ? owned_ : *ref_; }
  [[nodiscard]] std::string_view as_string() const noexcept {
    return json().get_ref<const std::string&>();
  }

  [[nodiscard]] bool truthy() const noexcept {
    switch (kind_) {
      case Kind::null:
        return false;
      case Kind::boolean:
        return b_;
      case Kind::integer:
        return i_ != 0;
      case Kind::unsigned_integer:
        return true;  // above INT64_MAX
      case Kind::real:
        return d_ != 0.0;
      case Kind::json: {
        const Json& j = json();
        if (j.is_string()) {
          return !j.get_ref<const std::string&>().empty();
        }
        return !(j.is_array() || j.is_object()) || !j.empty();
      }
    }
    return false;
  }

  /// The value as standalone JSON: copies what is borrowed, moves what is owned.
  [[nodiscard]] Json materialize() && {
    switch (kind_) {
      case Kind::null:
        return Json();
      case Kind::boolean:
        return Json(b_);
      case Kind::integer:
        return Json(i_);
      case Kind::unsigned_integer:
        return Json(u_);
      case Kind::real:
        return Json(d_);
      case Kind::json:
        return owns_ ? std::move(owned_) : Json(*ref_);
    }
    return Json();
  }

 private:
  static Value scalar(const Json& j) noexcept {
    switch (j.type()) {
      case Json::value_t::boolean:
        return boolean(j.get_ref<const Json::boolean_t&>());
      case Json::value_t::number_integer:
        return integer(j.get_ref<const Json::number_integer_t&>());
      case Json::value_t::number_unsigned:
        return unsigned_integer(j.get_ref<const Json::number_unsigned_t&>());
      case Json::value_t::number_float:
        return real(j.get_ref<const Json::number_float_t&>());
      case Json::value_t::null:
      case Json::value_t::discarded:
        return Value();
      default: {
        Value v;
        v.kind_ = Kind::json;
        return v;
      }
    }
  }

  // Only an owned JSON needs destroying; checking a flag inline keeps the common scalar and
  // borrowed cases free of a call into nlohmann's destructor.
  void reset() noexcept {
    if (owns_) {
      owned_.~Json();
      owns_ = false;
    }
    kind_ = Kind::null;
  }
  void copy_from(const Value& other) {
    if (other.owns_) {
      new (&owned_) Json(other.owned_);
      owns_ = true;
    } else {
      copy_scalar(other);
    }
    kind_ = other.kind_;
  }
  void move_from(Value&& other) noexcept {
    if (other.owns_) {
      new (&owned_) Json(std::move(other.owned_));
      owns_ = true;
    } else {
      copy_scalar(other);
    }
    kind_ = other.kind_;
  }
  void copy_scalar(const Value& other) noexcept {
    switch (other.kind_) {
      case Kind::boolean:
        b_ = other.b_;
        break;
      case Kind::integer:
        i_ = other.i_;
        break;
      case Kind::unsigned_integer:
        u_ = other.u_;
        break;
      case Kind::real:
        d_ = other.d_;
        break;
      case Kind::json:
        ref_ = other.ref_;
        break;
      case Kind::null:
        break;
    }
  }

  Kind kind_ = Kind::null;
  bool owns_ = false;  // owned_ is the active member (kind json only)
  union {
    bool b_;
    std::int64_t i_ = 0;
    std::uint64_t u_;
    double d_;
    const Json* ref_;  // kind json, borrowed
    Json owned_;       // kind json, owned
  };
};

}  // namespace lg::detail
