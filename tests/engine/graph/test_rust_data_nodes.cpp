// rust-logic-graph's RuleNode, DBNode and AINode mapped onto `rule`, `sqlite` or `postgres`, and
// `llm`: each field checked, the SQLite ones run for real, the others validated by an
// executor's build (their servers are not needed for that).

#include <logic_graph/engine/graph/graph_def.hpp>

#include "engine/graph/graph_problems.hpp"

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using lg::GraphDef;
using lg::test::has;
using lg::test::problems_of_json;
using Json = nlohmann::json;

namespace {

// The one node `n` of a graph holding only it, in the crate's shape.
lg::NodeDef only(const Json& fields) {
  const GraphDef graph = GraphDef::from_json({{"nodes", {{"n", fields}}}});
  REQUIRE(graph.nodes.size() == 1);
  return graph.nodes[0];
}

// The DBNode `n` with `database` as its database.
lg::NodeDef db_on(const std::string& database) {
  return only({{"node_type", "DBNode"}, {"query", "SELECT 1"}, {"database", database}});
}

}  // namespace

TEST_SUITE("rust-logic-graph data nodes") {
  TEST_CASE("DBNode: the database picks sqlite or postgres") {
    struct Case {
      std::string database;
      std::string type;
      std::string field;
      std::string value;
    };
    const Case cases[] = {
        {"postgres://app@db:5432/shop", "postgres", "connection", "postgres://app@db:5432/shop"},
        {"postgresql://db/shop?sslmode=require", "postgres", "connection",
         "postgresql://db/shop?sslmode=require"},
        {"oms_db", "postgres", "connection", "env:OMS_DB_URL"},  // the case study's names
        {"{{ POSTGRES_URL }}", "postgres", "connection", "env:POSTGRES_URL"},
        {"data/shop.db", "sqlite", "database", "data/shop.db"},
        {"shop.SQLite", "sqlite", "database", "shop.SQLite"},
        {"/var/lib/app.sqlite3", "sqlite", "database", "/var/lib/app.sqlite3"},
        {":memory:", "sqlite", "database", ":memory:"},
        {"file:shop?mode=memory&cache=shared", "sqlite", "database",
         "file:shop?mode=memory&cache=shared"},
        {"sqlite::memory:", "sqlite", "database", ":memory:"},
        {"sqlite://data/shop.db", "sqlite", "database", "data/shop.db"},
        {"sqlite:shop.db", "sqlite", "database", "shop.db"},
        {"sqlite://shop.db?mode=ro", "sqlite", "database", "file:shop.db?mode=ro"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.database);
      const lg::NodeDef node = db_on(c.database);
      CHECK(node.type == c.type);
      CHECK(node.config ==
            Json{{"rust_type", "DBNode"}, {c.field, c.value}, {"query", "SELECT 1"}});
    }
    // None named: PostgreSQL at DATABASE_URL, which the crate's Postgres example reads.
    const lg::NodeDef bare = only("DBNode");
    CHECK(bare.type == "postgres");
    CHECK(bare.config == Json{{"rust_type", "DBNode"},
                              {"connection", "env:DATABASE_URL"},
                              {"query", "SELECT * FROM n"}});
    // The distributed example's fields.
    const lg::NodeDef distributed = only({{"node_type", "DB"},
                                          {"db_type", "PostgreSQL"},
                                          {"connection_string", "postgres://h/db"},
                                          {"query", "SELECT 2"}});
    CHECK(distributed.config ==
          Json{{"rust_type", "DB"}, {"connection", "postgres://h/db"}, {"query", "SELECT 2"}});
    CHECK(only({{"node_type", "DB"}, {"db_type", "Postgres"}}).config["connection"] ==
          "env:DATABASE_URL");
  }

  TEST_CASE("DBNode: params are context keys, read as expressions") {
    const lg::NodeDef pg = only({{"node_type", "DBNode"},
                                 {"database", "postgres://h/db"},
                                 {"query", "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3"},
                                 {"params", {"user_id", "order.status", "{{ len(items) }}"}}});
    CHECK(pg.config["params"] == Json{"user_id", "order.status", "len(items)"});
    // SQLite reads $1, $2 as names: bound by name, whatever their order in the query.
    const lg::NodeDef lite = only({{"node_type", "DBNode"},
                                   {"database", ":memory:"},
                                   {"query", "SELECT $2 || '-' || $1"},
                                   {"params", {"first", "second"}},
                                   {"mode", "value"}});
    CHECK(lite.config["params"] == Json{{"1", "first"}, {"2", "second"}});
    GraphDef graph;
    graph.nodes.push_back(lite);
    lg::Executor executor{graph, lg::builtin_nodes(), {.threads = 1}};
    CHECK(executor.run({{"first", "a"}, {"second", "b"}}).to_json()["n"] == "b-a");
    // `?` placeholders keep an array.
    CHECK(only({{"node_type", "DBNode"},
                {"database", "x.db"},
                {"query", "SELECT ?"},
                {"params", {"k"}}})
              .config["params"] == Json{"k"});
    CHECK_FALSE(only({{"node_type", "DBNode"}, {"database", "x.db"}, {"params", Json::array()}})
                    .config.contains("params"));
  }

  TEST_CASE("DBNode: what names no database here is refused with the field") {
    const auto problems = problems_of_json(
        {{"nodes",
          {{"my", {{"node_type", "DBNode"}, {"database", "mysql://h/db"}}},
           {"odd", {{"node_type", "DBNode"}, {"database", "not a name"}}},
           {"type", {{"node_type", "DB"}, {"db_type", "MySQL"}}},
           {"clash", {{"node_type", "DB"}, {"db_type", "SQLite"}, {"database", "postgres://h"}}},
           {"lite", {{"node_type", "DB"}, {"db_type", "SQLite"}}},
           {"both",
            {{"node_type", "DB"}, {"connection", "postgres://a"}, {"connection_string", "b"}}},
           {"keys", {{"node_type", "DBNode"}, {"params", {"a b", 3}}}},
           {"query", {{"node_type", "DBNode"}, {"query", 5}}}}}});
    CHECK(has(problems, "g.json: nodes['my']: field 'database'",
              "MySQL has no node here: give a PostgreSQL URL or an SQLite file"));
    CHECK(has(problems, "g.json: nodes['odd']: field 'database'",
              "'not a name' names no database here"));
    CHECK(has(problems, "g.json: nodes['type']: field 'db_type'",
              "must be Postgres or SQLite (the node types here), found 'MySQL'"));
    CHECK(has(problems, "g.json: nodes['clash']: field 'db_type'",
              "says SQLite but 'postgres://h' is a postgres database"));
    CHECK(has(problems, "g.json: nodes['lite']: field 'db_type'", "SQLite needs 'database'"));
    CHECK(has(problems, "g.json: nodes['both']: field 'connection_string'",
              "give one of 'connection' and 'connection_string'"));
    CHECK(has(problems, "g.json: nodes['keys']: field 'params[0]'",
              "must be a context key (or a dotted path, or '{{ expression }}'), found \"a b\""));
    CHECK(has(problems, "g.json: nodes['keys']: field 'params[1]'", "found 3"));
    CHECK(has(problems, "g.json: nodes['query']: field 'query'", "must be a string, found 5"));
  }

  TEST_CASE("AINode: prompt, model and provider onto llm, placeholders are context keys") {
    const lg::NodeDef ai = only({{"node_type", "AINode"},
                                 {"prompt", "Summarise {{order}} for {{ customer.name }}"},
                                 {"model", "gpt-4o-mini"},
                                 {"temperature", 0.3},
                                 {"max_tokens", 200}});
    CHECK(ai.type == "llm");
    CHECK(ai.config == Json{{"rust_type", "AINode"},
                            {"prompt", "Summarise {{order}} for {{ customer.name }}"},
                            {"model", "gpt-4o-mini"},
                            {"temperature", 0.3},
                            {"max_tokens", 200}});
    const lg::NodeDef ollama = only({{"node_type", "AI"},
                                     {"provider", "Ollama"},
                                     {"user_prompt", "Hi"},
                                     {"system_prompt", "Be brief"}});
    CHECK(ollama.config == Json{{"rust_type", "AI"},
                                {"endpoint", "http://localhost:11434/v1"},
                                {"prompt", "Hi"},
                                {"system", "Be brief"}});
    GraphDef graph;
    graph.nodes = {ai, ollama};
    // fmt, not a literal: GCC 12 -O3 warns falsely (-Wstringop-overflow) on the assignment.
    graph.nodes[1].id = fmt::format("{}", 'm');
    CHECK_NOTHROW(lg::Executor(graph, lg::builtin_nodes(), {.threads = 1}));

    const auto problems =
        problems_of_json({{"nodes",
                           {{"a", {{"node_type", "AINode"}, {"prompt", "Use {{a-b}}"}}},
                            {"b", {{"node_type", "AINode"}, {"prompt", "Open {{ never"}}},
                            {"c", {{"node_type", "AINode"}, {"prompt", "x"}, {"user_prompt", "y"}}},
                            {"d", {{"node_type", "AINode"}, {"provider", "Claude"}}}}}});
    CHECK(has(problems, "g.json: nodes['a']: field 'prompt'",
              "the placeholder '{{a-b}}' does not name a context key"));
    CHECK(has(problems, "g.json: nodes['b']: field 'prompt'",
              "'{{' at character 6 has no closing '}}'"));
    CHECK(has(problems, "g.json: nodes['c']: field 'user_prompt'",
              "give one of 'prompt' and 'user_prompt'"));
    CHECK(has(problems, "g.json: nodes['d']: field 'provider'",
              "must be OpenAI or Ollama (an OpenAI chat API), found 'Claude'"));
  }

  TEST_CASE("RuleNode: inputs and field_mappings gather values with then") {
    const GraphDef graph = GraphDef::from_json(
        {{"nodes",
          {{"decide",
            {{"node_type", "RuleNode"},
             {"inputs", {{"fetched", "fetch"}}},
             {"field_mappings", {{"qty", "fetch.row.qty"}, {"odd", "fetch.row.sum(q)"}}}}}}}});
    CHECK(graph.find_node("decide")->config["then"] ==
          Json{{"fetched", "fetch"}, {"qty", "fetch.row.qty"}, {"odd", "fetch.row[\"sum(q)\"]"}});
    lg::Executor executor{graph, lg::builtin_nodes(), {.threads = 1}};
    const Json out = executor.run({{"fetch", {{"row", {{"qty", 4}, {"sum(q)", 9}}}}}}).to_json();
    CHECK(out["qty"] == 4);
    CHECK(out["odd"] == 9);
    CHECK(out["fetched"] == Json{{"row", {{"qty", 4}, {"sum(q)", 9}}}});

    const auto problems = problems_of_json(
        {{"nodes",
          {{"a",
            {{"node_type", "RuleNode"},
             {"inputs", {{"x", "p.q"}}},
             {"field_mappings", {{"x", "r"}, {"y", "9lives"}, {"z", 1}}}}},
           {"b", {{"node_type", "RuleNode"}, {"inputs", "all"}}},
           {"grl",
            {{"node_type", "Rule"}, {"rule_content", "rule \"r\" when ... then ... end"}}}}}});
    CHECK(has(problems, "g.json: nodes['a']: field 'field_mappings.x'",
              "'x' is set twice ('inputs', 'field_mappings', 'then')"));
    CHECK(has(problems, "g.json: nodes['a']: field 'field_mappings.y'",
              "must be a context path such as \"node.field\", found \"9lives\""));
    CHECK(has(problems, "g.json: nodes['a']: field 'field_mappings.z'", "found 1"));
    CHECK(has(problems, "g.json: nodes['b']: field 'inputs'",
              "must map names to context paths (strings)"));
    CHECK(has(problems, "g.json: nodes['grl']: field 'rule_content'",
              "GRL rules (rust-rule-engine's language) have no equivalent here"));
  }

  TEST_CASE("listed nodes report at their list place") {
    const auto problems = problems_of_json(
        {{"nodes", {{{"id", "x"}, {"type", "DBNode"}, {"database", "mysql://h"}}}}});
    CHECK(has(problems, "g.json: nodes[0] (id 'x'): field 'database'", "MySQL has no node here"));
  }
}
