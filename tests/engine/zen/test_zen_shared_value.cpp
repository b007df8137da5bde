// lg::zen::SharedValue: ZEN's values as JDM nodes pass them, with exact decimals and ZEN's edits.

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/zen_expression.hpp>
#include <logic_graph/engine/expr/zen_shared_value.hpp>

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

namespace {

using Json = nlohmann::json;
using ZenExpression = lg::zen::Expression;
using lg::zen::Environment;
using Value = lg::zen::SharedValue;

Value of(const Json& j) {
  return Value::from_json(j);
}

Value computed(const std::string& text, const Value& input = Value()) {
  return ZenExpression::parse(text).value_in(Environment(input));
}

}  // namespace

TEST_SUITE("zen shared values") {
  TEST_CASE("JSON in and out, and ZEN's decimals written out exactly") {
    const Json doc = {{"b", {1, 2.5, "x", nullptr, true}}, {"a", {{"c", -3}}}};
    CHECK(of(doc).to_json() == doc);
    CHECK(of(doc).dump() == R"({"a":{"c":-3},"b":[1,2.5,"x",null,true]})");
    CHECK(of(doc).dump(2) == doc.dump(2));
    CHECK(of(Json::object()).dump(2) == "{}");
    CHECK(of(Json::array()).dump(2) == "[]");
    CHECK(computed("10 / 3").dump() == "3.3333333333333333333333333333");
    CHECK(computed("10 / 3").to_json() == Json(10.0 / 3));  // JSON: the nearest double
    CHECK(computed("0.1 + 0.2").dump() == "0.3");
    CHECK(computed("1.50 + 1").dump() == "2.5");  // JSON drops the scale's zeros, as ZEN
    CHECK(Value().dump() == "null");
    CHECK(of("caf\xc3").dump() == "\"caf\xef\xbf\xbd\"");  // invalid UTF-8: replaced, no throw
  }

  TEST_CASE("an evaluation's value goes on, exact, into the next evaluation") {
    const Value third = computed("1 / 3");
    const Value input = Value::object({{"third", third}});
    CHECK(computed("third * 3", input).dump() == "0.9999999999999999999999999999");
    // Through JSON the digits past a double's are gone.
    CHECK(computed("third * 3", of(input.to_json())).dump() == "0.9999999999999999");
  }

  TEST_CASE("arrays and objects are built and read") {
    const Value a = Value::array({of(1), of("two")});
    CHECK(a.is_array());
    CHECK(a.size() == 2);
    CHECK(a[1].to_json() == "two");
    CHECK_THROWS_AS((void)a[2], std::out_of_range);
    CHECK(of(5).size() == 0);
    CHECK_THROWS_AS((void)of(5)[0], std::out_of_range);
    CHECK(Value::object({{"k", of(1)}, {"k", of(2)}}).to_json() == Json{{"k", 2}});
    CHECK(of(nullptr).is_null());
    CHECK(of(Json::object()).is_object());
    CHECK(of(1).type_name() == "number");
  }

  TEST_CASE("merged(): ZEN's merge") {
    const Value doc = of({{"a", {{"x", 1}, {"y", 2}}}, {"keep", true}, {"gone", 1}});
    CHECK(doc.merged(of({{"a", {{"y", 3}, {"z", 4}}}, {"gone", nullptr}})).to_json() ==
          Json{{"a", {{"x", 1}, {"y", 3}, {"z", 4}}}, {"keep", true}});
    CHECK(doc.merged(of({1, 2})).to_json() == Json{1, 2});  // an array replaces
    CHECK(doc.merged(of(7)).to_json() == doc.to_json());    // a scalar leaves it
    CHECK(doc.to_json()["a"]["y"] == 2);                    // the original is unchanged
    // The same object merged into itself stays whole, its nulls too (ZEN compares pointers);
    // an equal copy is merged as any other.
    const Value with_null = of({{"n", nullptr}, {"v", 1}});
    CHECK(with_null.merged(with_null).to_json() == Json{{"n", nullptr}, {"v", 1}});
    CHECK(with_null.merged(of(with_null.to_json())).to_json() == Json{{"v", 1}});
  }

  TEST_CASE("with(): ZEN's dot_insert") {
    const Value doc = of({{"a", {{"b", 1}}}, {"s", "text"}, {"n", nullptr}});
    CHECK(doc.with("a.c.d", of(2)).to_json() ==
          Json{{"a", {{"b", 1}, {"c", {{"d", 2}}}}}, {"s", "text"}, {"n", nullptr}});
    CHECK(doc.with("top", of(true)).to_json()["top"] == true);
    CHECK(doc.with("s.x", of(1)).to_json() == doc.to_json());  // a string on the way
    CHECK(doc.with("n.x", of(1)).to_json() == doc.to_json());  // null on the way
    CHECK(of(3).with("x", of(1)).to_json() == 3);              // not an object
  }

  TEST_CASE("without(): a key gone at every depth, the rest shared") {
    const Value doc = of({{"$nodes", 1},
                          {"a", {{"$nodes", {{"x", 1}}}, {"b", 2}}},
                          {"list", {{{"$nodes", 0}, {"c", 3}}, 4}},
                          {"plain", {{"d", 5}}}});
    CHECK(doc.without("$nodes").to_json() ==
          Json{{"a", {{"b", 2}}}, {"list", {{{"c", 3}}, 4}}, {"plain", {{"d", 5}}}});
    const Value clean = of({{"a", {1, {{"b", 2}}}}});
    CHECK(clean.without("$nodes").dump() == clean.dump());
  }

  TEST_CASE("too deep or too large a JSON is an expression error, not a crash") {
    Json deep = 0;
    for (int i = 0; i < 300; ++i) {
      deep = Json::array({deep});
    }
    CHECK_THROWS_AS((void)Value::from_json(deep), lg::ExpressionError);
    Value v = Value::object({});
    std::string path = "k";
    for (int i = 0; i < 300; ++i) {
      path += ".k";
    }
    CHECK_THROWS_AS((void)v.with(path, of(1)), std::length_error);
  }
}
