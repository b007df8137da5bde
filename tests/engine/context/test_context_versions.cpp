#include "context/context_versions.hpp"

#include <logic_graph/engine/context/context.hpp>

#include <doctest/doctest.h>

#include "support/numbered.hpp"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using lg::Context;
using lg::detail::ContextVersions;
using Json = nlohmann::json;
using lg::test::numbered;

TEST_SUITE("context versions") {
  TEST_CASE("a reader's snapshot keeps what it saw while a writer adds versions") {
    for (const int keys : {4, 40, 400}) {  // scanned, and indexed
      CAPTURE(keys);
      Context ctx;
      for (int i = 0; i < keys; ++i) {
        ContextVersions::set(ctx, numbered("k", i), Context::hash(numbered("k", i)), Json(i));
      }
      const std::uint32_t before = ContextVersions::published(ctx);
      const Json* seen = ContextVersions::find(ctx, "k1", 0, before);
      REQUIRE(seen != nullptr);
      ContextVersions::set(ctx, "k1", 0, Json("newer"));
      ContextVersions::set(ctx, "fresh", 0, Json(true));
      CHECK(*seen == 1);  // the old version stays where it was
      CHECK(*ContextVersions::find(ctx, "k1", 0, before) == 1);
      CHECK(ContextVersions::find(ctx, "fresh", 0, before) == nullptr);
      CHECK(*ContextVersions::find(ctx, "k1", 0, ContextVersions::published(ctx)) == "newer");
      CHECK(*ctx.get("k1") == "newer");
      CHECK(ctx.size() == static_cast<std::size_t>(keys) + 1);
      int entries = 0;
      for (const Context::Entry& entry : ctx) {
        entries += entry.key == "k1" ? 10 : 1;  // once, the newest
        if (entry.key == "k1") {
          CHECK(entry.value == "newer");
        }
      }
      CHECK(entries == keys + 10);
      const Context copy = ctx;  // copies leave replaced versions behind
      CHECK(copy.size() == ctx.size());
      CHECK(*copy.get("k1") == "newer");
      ContextVersions::release_replaced(ctx);
      CHECK(*seen == nullptr);  // released now that no reader may look
    }
  }

  TEST_CASE("readers on other threads never see a torn or missing version" *
            doctest::timeout(120)) {
    // One writer publishes versions of 300 keys while three threads read them with fresh
    // snapshots; every value found must be one the writer wrote, and keys written before a
    // snapshot must be found in it.
    Context ctx;
    for (int i = 0; i < 300; ++i) {
      ContextVersions::set(ctx, numbered("k", i), 0, Json(0));
    }
    std::atomic<bool> done{false};
    std::atomic<int> wrong{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
      readers.emplace_back([&] {
        while (!done.load()) {
          const std::uint32_t snapshot = ContextVersions::published(ctx);
          for (int i = 0; i < 300; i += 7) {
            const Json* value = ContextVersions::find(ctx, numbered("k", i), 0, snapshot);
            if (value == nullptr || !value->is_number_integer() || value->get<int>() < 0) {
              wrong.fetch_add(1);
            }
          }
        }
      });
    }
    for (int round = 1; round <= 200; ++round) {
      for (int i = 0; i < 300; ++i) {
        ContextVersions::set(ctx, numbered("k", i), 0, Json(round));
      }
      ContextVersions::set(ctx, numbered("extra", round), 0, Json(round));  // grows the index
    }
    done = true;
    for (std::thread& reader : readers) {
      reader.join();
    }
    CHECK(wrong == 0);
    CHECK(ctx.size() == 500);
    CHECK(*ctx.get("k299") == 200);
  }

  TEST_CASE("a context cleared and refilled 70,000 times finds its keys (the index epochs wrap)") {
    Context ctx;
    for (int round = 0; round < 70'000; ++round) {
      ctx.clear();
      for (int i = 0; i < 20; ++i) {
        ContextVersions::set(ctx, numbered("k", (i + round) % 23), 0, Json(round));
      }
      if (round % 9973 == 0 || round == 69'999) {
        for (int i = 0; i < 23; ++i) {
          const bool written = ((i - round % 23 + 23) % 23) < 20;
          const Json* value = ctx.get(numbered("k", i));
          REQUIRE((value != nullptr) == written);
        }
      }
    }
    CHECK(ctx.size() == 20);
  }
}
