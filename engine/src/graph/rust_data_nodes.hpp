#pragma once

#include "graph/rust_fields.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>

// rust-logic-graph's RuleNode, DBNode and AINode, as read_rust_fields() keeps them, turned into
// configs of native node types (named as strings: the engine knows no node type). Their fields
// are those of the crate's NodeConfig (src/core/graph.rs), of its case studies' YAML loader
// (case_study/*/graph_config.rs: `database`, `connection`, `inputs`, `field_mappings`) and of
// its distributed example (`db_type`, `connection_string`, `provider`, `model`, `system_prompt`,
// `user_prompt`); see the README's graph format for the mapping.
namespace lg::detail {

/// RuleNode -> `rule`: `condition` (default `true`, as the crate's), and the case study's
/// `inputs` and `field_mappings` (name -> dotted context path) as `then`, which gathers those
/// values into the context.
void translate_rule(NodeDef& node, const FieldReports& reports);

/// DBNode -> `sqlite` or `postgres` by its database: `query` (default `SELECT * FROM <id>`, the
/// crate's), `params` (context keys, or `{{ expression }}`) as expressions.
void translate_db(NodeDef& node, const FieldReports& reports);

/// AINode -> `llm`: `prompt` (default `Process data for <id>`, the crate's) with the crate's
/// `{{key}}` placeholders checked, `model`, `system_prompt` -> `system`, `provider`.
void translate_ai(NodeDef& node, const FieldReports& reports);

}  // namespace lg::detail
