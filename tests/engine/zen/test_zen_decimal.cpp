// The decimal numbers of ZEN's language: exact decimal arithmetic within 96 bits and 28
// fraction digits, rounding half to even past them, overflow reported.

#include "zen/decimal.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

using lg::zen::Decimal;

Decimal dec(const char* text) {
  const auto d = Decimal::parse(text);
  REQUIRE_MESSAGE(d.has_value(), text);
  return *d;
}

std::string str(const std::optional<Decimal>& d) {
  return d ? d->to_string() : "overflow";
}

}  // namespace

TEST_SUITE("zen decimal") {
  TEST_CASE("parsing keeps the written scale, exponents move the point") {
    CHECK(dec("1.50").to_string() == "1.50");
    CHECK(dec("1.50").to_normalized_string() == "1.5");
    CHECK(dec("-0.001").to_string() == "-0.001");
    CHECK(dec("2.5e2").to_string() == "250");
    CHECK(dec("1.23e-3").to_string() == "0.00123");
    CHECK(dec("1E+3").to_string() == "1000");
    CHECK(dec("-0").to_string() == "0");
    CHECK(dec(".5").to_string() == "0.5");
    CHECK(dec("1.").to_string() == "1");
    CHECK(dec("+12.000").to_string() == "12.000");
    CHECK(dec("123456789012345678").to_string() == "123456789012345678");        // 18 digits
    CHECK(dec("1234567890123456789.5").to_string() == "1234567890123456789.5");  // 20
    CHECK(dec("0.0000000000000000000000000001").to_string() == "0.0000000000000000000000000001");
    CHECK(dec("0.00000000000000000000000000015").to_string() ==
          "0.0000000000000000000000000002");  // 28 digits, half to even
    CHECK(dec("79228162514264337593543950335").to_string() == "79228162514264337593543950335");
    CHECK_FALSE(Decimal::parse("79228162514264337593543950336").has_value());
    CHECK_FALSE(Decimal::parse("").has_value());
    CHECK_FALSE(Decimal::parse("1.2.3").has_value());
    CHECK_FALSE(Decimal::parse("1e").has_value());
    CHECK_FALSE(Decimal::parse("abc").has_value());
  }

  TEST_CASE("arithmetic is exact where it fits") {
    CHECK(str(dec("0.1").add(dec("0.2"))) == "0.3");
    CHECK(str(dec("1.10").add(dec("1"))) == "2.10");
    CHECK(str(dec("5").sub(dec("7.25"))) == "-2.25");
    CHECK(str(dec("1.1").mul(dec("1.1"))) == "1.21");
    CHECK(str(dec("-3").mul(dec("0.5"))) == "-1.5");
    CHECK(str(dec("1").div(dec("4"))) == "0.25");
    CHECK(str(dec("1").div(dec("3"))) == "0.3333333333333333333333333333");
    CHECK(str(dec("2").div(dec("3"))) == "0.6666666666666666666666666667");
    CHECK(str(dec("-7").rem(dec("3"))) == "-1");
    CHECK(str(dec("7.5").rem(dec("2"))) == "1.5");
    CHECK(str(dec("2").pow(dec("-2"))) == "0.25");
    CHECK(str(dec("1.5").pow(dec("3"))) == "3.375");
  }

  TEST_CASE("products beyond 96 bits lose fraction digits, then overflow") {
    const Decimal max = dec("79228162514264337593543950335");
    CHECK(str(max.add(dec("1"))) == "overflow");
    CHECK(str(max.mul(dec("0.5"))) == "39614081257132168796771975168");  // half to even
    CHECK(str(dec("0.0000000000001").mul(dec("0.0000000000000001"))) ==
          "0.0000000000000000000000000000");
    CHECK(str(dec("12345678901234.56789").mul(dec("98765432109876.54321"))) ==
          "1219326311370217952237463801.1");  // of ...801.1112635269
    CHECK(str(dec("123456789012345.6789").mul(dec("987654321098765.4321"))) == "overflow");
    CHECK_FALSE(dec("1").div(dec("0")).has_value());
    CHECK_FALSE(dec("10").pow(dec("29")).has_value());
  }

  TEST_CASE("comparison is by value whatever the scales") {
    CHECK(dec("1.0") == dec("1"));
    CHECK(dec("-0.5").compare(dec("-0.25")) < 0);
    CHECK(dec("0.30").compare(dec("0.3")) == 0);
    CHECK(dec("-1").compare(dec("0")) < 0);
    CHECK(dec("79228162514264337593543950335").compare(dec("0.0000000000000000000000000001")) > 0);
  }

  TEST_CASE("rounding modes") {
    using R = Decimal::Rounding;
    CHECK(dec("2.5").rounded(0, R::half_away).to_string() == "3");
    CHECK(dec("-2.5").rounded(0, R::half_away).to_string() == "-3");
    CHECK(dec("2.45").rounded(1, R::half_away).to_string() == "2.5");
    CHECK(dec("-2.7").rounded(0, R::toward_zero).to_string() == "-2");
    CHECK(dec("-2.1").rounded(0, R::floor).to_string() == "-3");
    CHECK(dec("2.1").rounded(0, R::ceil).to_string() == "3");
    CHECK(dec("2.1").rounded(5, R::ceil).to_string() == "2.1");
  }

  TEST_CASE("conversions") {
    CHECK(Decimal::from_double(4.99)->to_string() == "4.99");
    CHECK(Decimal::from_double(1e-7)->to_string() == "0.0000001");
    CHECK_FALSE(Decimal::from_double(1e300).has_value());
    CHECK(dec("-12").to_int64() == -12);
    CHECK_FALSE(dec("1.5").to_int64().has_value());
    CHECK(dec("18446744073709551615").to_uint64() == 18446744073709551615ULL);
    CHECK(dec("-9223372036854775808").to_int64() == INT64_MIN);
    CHECK_FALSE(dec("9223372036854775808").to_int64().has_value());
    CHECK(dec("0.1").to_double() == 0.1);
    CHECK(dec("-19.99").to_double() == -19.99);
    CHECK(dec("12345678901234567890.5").to_double() == 12345678901234567890.5);
  }
}
