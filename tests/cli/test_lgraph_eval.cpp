// `lgraph eval`: one expression, native or ZEN's, printed as JSON; errors with their position.

#include "lgraph_process.hpp"

#include <doctest/doctest.h>

namespace {

using lg::test::contains;
using lg::test::lgraph;
using lg::test::Outcome;
using lg::test::TempDir;

}  // namespace

TEST_SUITE("lgraph eval") {
  TEST_CASE("native expressions by default, against --input") {
    const Outcome o = lgraph({"eval", "order.total * 2", "--input", R"({"order": {"total": 21}})"});
    CHECK(o.exit_code == 0);
    CHECK(o.out == "42\n");
    CHECK(o.err.empty());
  }

  TEST_CASE("--dialect zen computes in decimal and knows ZEN's functions") {
    const Outcome sum = lgraph({"eval", "--dialect", "zen", "0.1 + 0.2"});
    CHECK(sum.exit_code == 0);
    CHECK(sum.out == "0.3\n");
    const Outcome closures = lgraph({"eval", "--dialect", "ZEN", "map(filter(xs, # > 1), # * 10)",
                                     "--input", R"({"xs": [1, 2, 3]})"});
    CHECK(closures.out == "[20,30]\n");
    CHECK(lgraph({"eval", "--dialect", "zen", "1 / 0"}).out == "null\n");
  }

  TEST_CASE("--unary tests the input's $ key as a decision-table cell does") {
    CHECK(lgraph({"eval", "--dialect", "zen", "--unary", "'GB', 'US'", "--input", R"({"$": "US"})"})
              .out == "true\n");
    CHECK(lgraph({"eval", "--dialect", "zen", "--unary", "[1..5)", "--input", R"({"$": 5})"}).out ==
          "false\n");
  }

  TEST_CASE("--now pins ZEN's now, so does __ZEN_MOCK_UTC_TIME, as in ZEN's own tests") {
    const Outcome pinned = lgraph(
        {"eval", "--dialect", "zen", "--now", "2024-02-29T23:00:00-01:00", "d().format('%F %T')"});
    CHECK(pinned.exit_code == 0);
    CHECK(pinned.out == "\"2024-03-01 00:00:00\"\n");
    const Outcome mocked = lg::test::run_program(
        "env", {"__ZEN_MOCK_UTC_TIME=2023-10-15T10:00:00Z", "TZ=UTC", LGRAPH_PATH, "eval",
                "--dialect", "zen", "d().isSame(d('2023-10-15'), 'day')"});
    CHECK(mocked.out == "true\n");
    const Outcome bad = lgraph({"eval", "--dialect", "zen", "--now", "yesterday", "d()"});
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "--now: 'yesterday' is not an ISO-8601 instant"));
  }

  TEST_CASE("--input from a file") {
    const TempDir dir;
    const std::string file = dir.write("input.json", R"({"a": 2, "b": 3})");
    CHECK(lgraph({"eval", "--dialect", "zen", "a ^ b", "--input", "@" + file}).out == "8\n");
  }

  TEST_CASE("errors: exit 2 with the position, nothing on stdout") {
    const Outcome type = lgraph({"eval", "--dialect", "zen", "'x' + 1"});
    CHECK(type.exit_code == 2);
    CHECK(type.out.empty());
    CHECK(type.err == "lgraph eval: at 4 in ''x' + 1': '+' needs numbers, not string and number\n");
    const Outcome syntax = lgraph({"eval", "1 +"});
    CHECK(syntax.exit_code == 2);
    CHECK(contains(syntax.err, "at 3 in '1 +'"));
    const Outcome unary = lgraph({"eval", "--unary", "> 1"});
    CHECK(unary.exit_code == 2);
    CHECK(contains(unary.err, "--unary reads ZEN's unary tests: use it with --dialect zen"));
    const Outcome dialect = lgraph({"eval", "--dialect", "python", "1"});
    CHECK(dialect.exit_code == 2);
    CHECK(contains(dialect.err, "--dialect"));
    const Outcome input = lgraph({"eval", "--dialect", "zen", "a", "--input", "[1]"});
    CHECK(input.exit_code == 2);
    CHECK(contains(input.err, "--input: the input must be a JSON object, found array"));
  }
}
