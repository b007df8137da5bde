#include <logic_graph/engine/context/context.hpp>

#include <logic_graph/memory/memory_profiler.hpp>

#include <doctest/doctest.h>

#include "support/numbered.hpp"

#include <cstdint>
#include <string>
#include <vector>

using lg::Context;
using Json = nlohmann::json;
using lg::test::numbered;

TEST_SUITE("context") {
  TEST_CASE("set, get, contains, erase and size") {
    Context ctx{4};
    CHECK(ctx.empty());
    ctx.set("a", 1);
    ctx.set("b", "two");
    CHECK(ctx.size() == 2);
    CHECK(ctx.contains("a"));
    REQUIRE(ctx.get("b") != nullptr);
    CHECK(*ctx.get("b") == "two");
    CHECK(ctx.get("missing") == nullptr);
    CHECK_FALSE(ctx.contains("missing"));

    ctx.set("a", Json{{"nested", true}});
    CHECK(ctx.size() == 2);
    CHECK((*ctx.get("a"))["nested"] == true);

    CHECK(ctx.erase("a"));
    CHECK_FALSE(ctx.erase("a"));
    CHECK(ctx.size() == 1);
    CHECK(ctx.get("a") == nullptr);
  }

  TEST_CASE("typed get") {
    Context ctx;
    ctx.set("n", 42);
    ctx.set("s", "text");
    CHECK(ctx.get<int>("n") == 42);
    CHECK(ctx.get<double>("n") == doctest::Approx(42.0));
    CHECK(ctx.get<std::string>("s") == "text");
    CHECK_FALSE(ctx.get<int>("missing").has_value());
    CHECK_THROWS_WITH_AS(static_cast<void>(ctx.get<int>("s")),
                         doctest::Contains("context key 's' holds a string"), lg::ContextError);
  }

  TEST_CASE("iteration keeps insertion order and to_json holds every entry") {
    Context ctx;
    const std::vector<std::string> keys{"zeta", "alpha", "mid"};
    for (std::size_t i = 0; i < keys.size(); ++i) {
      ctx.set(keys[i], static_cast<int>(i));
    }
    std::vector<std::string> seen;
    for (const auto& [key, value] : ctx) {
      seen.push_back(key);
      CHECK(value.is_number_integer());
    }
    CHECK(seen == keys);
    CHECK(ctx.to_json() == Json{{"zeta", 0}, {"alpha", 1}, {"mid", 2}});
  }

  TEST_CASE("many keys go through the index and survive erase") {
    Context ctx;
    constexpr int count = 500;
    for (int i = 0; i < count; ++i) {
      ctx.set(numbered("key_", i), i);
    }
    REQUIRE(ctx.size() == count);
    for (int i = 0; i < count; i += 7) {
      REQUIRE(ctx.erase(numbered("key_", i)));
    }
    for (int i = 0; i < count; ++i) {
      const Json* value = ctx.get(numbered("key_", i));
      if (i % 7 == 0) {
        CHECK(value == nullptr);
      } else {
        REQUIRE(value != nullptr);
        CHECK(*value == i);
      }
    }
    ctx.clear();
    CHECK(ctx.empty());
    CHECK(ctx.get("key_1") == nullptr);
    ctx.set("key_1", 1);
    CHECK(ctx.get<int>("key_1") == 1);
  }

  TEST_CASE("a large cleared context is refilled through its spares, in any order") {
    Context ctx;
    constexpr int count = 300;
    for (int round = 0; round < 3; ++round) {
      ctx.clear();
      // Round 0 fills in order; later rounds write the keys backwards, then overwrite some,
      // so spare keys mostly differ from the ones written into them.
      for (int k = 0; k < count; ++k) {
        const int i = round == 0 ? k : count - 1 - k;
        ctx.set(numbered("key_", i), i + round);
      }
      for (int i = 0; i < count; i += 3) {
        ctx.set(numbered("key_", i), -i);
      }
      REQUIRE(ctx.size() == count);
      for (int i = 0; i < count; ++i) {
        const Json* value = ctx.get(numbered("key_", i));
        REQUIRE(value != nullptr);
        CHECK(*value == (i % 3 == 0 ? -i : i + round));
      }
      CHECK(ctx.get("key_300") == nullptr);
    }
  }

  TEST_CASE("growing key by key allocates a logarithmic number of times") {
    Context ctx;
    const auto before = lg::memory::MemoryProfiler::snapshot();
    for (int i = 0; i < 100'000; ++i) {
      ctx.set(numbered("k", i), i);  // short keys: no allocation of their own
    }
    const auto diff = lg::memory::MemoryProfiler::snapshot().diff(before);
    CHECK(ctx.size() == 100'000);
    CHECK(diff.allocations < 200);  // geometric growth of the arrays, not one step per key
  }

  TEST_CASE("clear keeps the capacity") {
    Context ctx{32};
    const auto capacity = ctx.capacity();
    CHECK(capacity >= 32);
    for (int i = 0; i < 20; ++i) {
      ctx.set(numbered("k", i), i);
    }
    ctx.clear();
    CHECK(ctx.empty());
    CHECK(ctx.capacity() == capacity);
  }

  TEST_CASE("lookups by string_view and overwrites allocate nothing") {
    Context ctx{8};
    const std::string long_key = "a key far too long for small-string storage";
    ctx.set(long_key, 1);
    const auto before = lg::memory::MemoryProfiler::snapshot();
    const std::string_view view = long_key;
    CHECK(ctx.get(view) != nullptr);
    CHECK(ctx.contains(view));
    ctx.set(view, 2);
    const auto diff = lg::memory::MemoryProfiler::snapshot().diff(before);
    CHECK(diff.allocations == 0);
    CHECK(ctx.get<int>(view) == 2);
  }

  TEST_CASE("a cleared context reuses its keys and frees its values") {
    Context ctx{4};
    const std::string long_key = "a key far too long for small-string storage";
    const std::string big_value(10'000, 'v');
    ctx.set(long_key, big_value);
    ctx.set("n", 1);
    const auto bytes_held = lg::memory::global_metrics().current_bytes();
    ctx.clear();
    // The long string value is freed now, not when the key is next written.
    CHECK(lg::memory::global_metrics().current_bytes() + big_value.size() <= bytes_held);
    CHECK(ctx.get(long_key) == nullptr);
    CHECK(ctx.get("n") == nullptr);
    CHECK(ctx.to_json() == Json::object());

    const auto before = lg::memory::MemoryProfiler::snapshot();
    ctx.set(long_key, 2);  // the spare entry still has the key's storage
    ctx.set("n", 3);
    ctx.clear();
    ctx.set("m", 4);  // another key fits the first spare's storage: still no allocation
    ctx.set("n", 5);
    CHECK(lg::memory::MemoryProfiler::snapshot().diff(before).allocations == 0);
    CHECK(ctx.to_json() == Json{{"m", 4}, {"n", 5}});
    CHECK(ctx.begin()->key == "m");
  }

  TEST_CASE("erase keeps the order of the other entries, then the spare is reused") {
    Context ctx{4};
    ctx.set("a", 1);
    ctx.set("b", "two");
    ctx.set("c", 3);
    CHECK(ctx.erase("b"));
    std::vector<std::string> keys;
    for (const auto& entry : ctx) {
      keys.push_back(entry.key);
    }
    CHECK(keys == std::vector<std::string>{"a", "c"});
    CHECK(ctx.get("b") == nullptr);
    ctx.set("d", 4);
    CHECK(ctx.size() == 3);
    CHECK(ctx.to_json() == Json{{"a", 1}, {"c", 3}, {"d", 4}});
  }

  TEST_CASE("numbers and booleans are stored as Json would store them") {
    Context ctx{4};
    const auto check_all = [&ctx] {
      ctx.set("bool", true);
      ctx.set("int", -3);
      ctx.set("unsigned", 7U);
      ctx.set("double", 2.5);
      ctx.set("float", 0.5F);
      ctx.set("char", 'a');
      ctx.set("int8", std::int8_t{-8});
      ctx.set("uint8", std::uint8_t{8});
      CHECK(ctx.to_json() == Json{{"bool", true},
                                  {"int", -3},
                                  {"unsigned", 7U},
                                  {"double", 2.5},
                                  {"float", 0.5F},
                                  {"char", 'a'},
                                  {"int8", std::int8_t{-8}},
                                  {"uint8", std::uint8_t{8}}});
      CHECK(ctx.get("unsigned")->is_number_unsigned());
      CHECK(ctx.get("int")->is_number_integer());
      CHECK_FALSE(ctx.get("int")->is_number_unsigned());
    };
    check_all();  // fresh entries
    ctx.clear();
    check_all();  // spare entries that held the same kinds
    ctx.clear();
    for (const char* key :
         {"bool", "int", "unsigned", "double", "float", "char", "int8", "uint8"}) {
      ctx.set(key, "text");  // every kind replaced by a string, then back
    }
    check_all();
    ctx.set("int", false);
    ctx.set("bool", 1.5);
    CHECK(*ctx.get("int") == false);
    CHECK(*ctx.get("bool") == 1.5);
  }

  TEST_CASE("copies and moves carry only the live entries") {
    Context original{4};
    original.set("x", 1);
    original.set("y", 2);
    original.clear();
    original.set("z", 3);
    const Context copy = original;
    CHECK(copy.size() == 1);
    CHECK(copy.to_json() == Json{{"z", 3}});
    Context moved = std::move(original);
    CHECK(moved.to_json() == Json{{"z", 3}});
    CHECK(original.empty());  // NOLINT(bugprone-use-after-move): a moved-from context is empty
    original.set("w", 4);
    CHECK(original.to_json() == Json{{"w", 4}});
    moved = std::move(original);
    CHECK(moved.to_json() == Json{{"w", 4}});
  }

  TEST_CASE("copies are independent and counted as contexts") {
    const auto contexts_before = lg::memory::global_metrics().context_allocations();
    Context original{4};
    original.set("x", 1);
    Context copy = original;
    copy.set("x", 2);
    CHECK(original.get<int>("x") == 1);
    CHECK(copy.get<int>("x") == 2);
    CHECK(lg::memory::global_metrics().context_allocations() == contexts_before + 2);
  }
}
