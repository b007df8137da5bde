#pragma once

// Test-only stand-ins for the `postgres` and `llm` node types, which are written apart and not
// registered in this tree: each checks the fields its type documents, as the real one will when
// an executor is built, and runs as nothing (null). They let the graphs rust-logic-graph's
// DBNode and AINode map onto go through the whole validation path.

#include <logic_graph/engine/node/node.hpp>
#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_registry.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace lg::test {

class StandInNode final : public SyncNode {
 public:
  explicit StandInNode(const NodeDef& def) : SyncNode(def) {}

 protected:
  nlohmann::json do_run(NodeScope& /*scope*/) const override { return nullptr; }
};

// A template: a string whose every `{{ EXPR }}` holds an expression.
inline void check_template(const nlohmann::json& value, const std::string& field) {
  if (!value.is_string()) {
    throw ConfigError(field, "must be a string (a template)");
  }
  const std::string& text = value.get_ref<const std::string&>();
  for (std::size_t open = text.find("{{"); open != std::string::npos;) {
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) {
      throw ConfigError(field, "a '{{' has no closing '}}'");
    }
    (void)config::expression(std::string_view(text).substr(open + 2, close - open - 2), field);
    open = text.find("{{", close + 2);
  }
}

inline void check_optional(const NodeDef& def, std::string_view field,
                           bool (*ok)(const nlohmann::json&), const char* what) {
  if (const auto found = def.config.find(field); found != def.config.end() && !ok(*found)) {
    throw ConfigError(std::string(field), what);
  }
}

inline bool is_string(const nlohmann::json& value) {
  return value.is_string();
}
inline bool is_count(const nlohmann::json& value) {
  return value.is_number_integer() && value.get<std::int64_t>() >= 0;
}

// postgres {"connection": "postgresql://..."|"env:VAR", "query", "params": [EXPR], "mode",
// "pool_size"}.
inline std::unique_ptr<Node> postgres_stand_in(const NodeDef& def) {
  config::allow_only(def, {"connection", "query", "params", "mode", "pool_size"});
  const std::string connection = config::required_string(def, "connection");
  if (!connection.starts_with("postgresql://") && !connection.starts_with("postgres://") &&
      !(connection.starts_with("env:") && connection.size() > 4)) {
    throw ConfigError("connection", "must be a postgresql:// URL or env:VAR");
  }
  (void)config::required_string(def, "query");
  if (const auto params = def.config.find("params"); params != def.config.end()) {
    if (!params->is_array()) {
      throw ConfigError("params", "must be an array of expressions ($1, $2...)");
    }
    for (std::size_t i = 0; i < params->size(); ++i) {
      (void)config::expression_value((*params)[i], "params[" + std::to_string(i) + "]");
    }
  }
  if (const auto mode = def.config.find("mode"); mode != def.config.end()) {
    if (!mode->is_string() ||
        (*mode != "rows" && *mode != "one" && *mode != "value" && *mode != "exec")) {
      throw ConfigError("mode", "must be one of 'rows', 'one', 'value', 'exec'");
    }
  }
  check_optional(def, "pool_size", is_count, "must be a count");
  return std::make_unique<StandInNode>(def);
}

// llm {"endpoint", "model", "prompt" | "messages", "system", "temperature", "max_tokens",
// "response_format", "api_key_env", "timeout_ms", "headers", "max_response_bytes", "ca_file"}.
inline std::unique_ptr<Node> llm_stand_in(const NodeDef& def) {
  config::allow_only(def, {"endpoint", "model", "prompt", "messages", "system", "temperature",
                           "max_tokens", "response_format", "api_key_env", "timeout_ms", "headers",
                           "max_response_bytes", "ca_file"});
  const bool prompt = def.config.contains("prompt");
  if (prompt == def.config.contains("messages")) {
    throw ConfigError("prompt", "give one of 'prompt' and 'messages'");
  }
  if (prompt) {
    check_template(def.config["prompt"], "prompt");
  } else {
    const nlohmann::json& messages = def.config["messages"];
    if (!messages.is_array() || messages.empty()) {
      throw ConfigError("messages", "must be a non-empty array");
    }
    for (const nlohmann::json& message : messages) {
      if (!message.is_object() || !message.contains("role") || !message.contains("content")) {
        throw ConfigError("messages", "each message has 'role' and 'content'");
      }
      check_template(message["content"], "messages.content");
    }
  }
  for (const char* field : {"endpoint", "system"}) {
    if (def.config.contains(field)) {
      check_template(def.config[field], field);
    }
  }
  for (const char* field : {"model", "api_key_env", "ca_file"}) {
    check_optional(def, field, is_string, "must be a string");
  }
  for (const char* field : {"max_tokens", "timeout_ms", "max_response_bytes"}) {
    check_optional(def, field, is_count, "must be a count");
  }
  check_optional(
      def, "temperature", [](const nlohmann::json& v) { return v.is_number(); },
      "must be a number");
  check_optional(
      def, "response_format", [](const nlohmann::json& v) { return v == "text" || v == "json"; },
      "must be 'text' or 'json'");
  check_optional(
      def, "headers", [](const nlohmann::json& v) { return v.is_object(); }, "must be an object");
  return std::make_unique<StandInNode>(def);
}

/// The built-in node types with the stand-ins for `postgres` and `llm`.
inline NodeRegistry nodes_with_stand_ins() {
  NodeRegistry registry = builtin_nodes();
  registry.replace("postgres",
                   [](const NodeBuild& build) { return postgres_stand_in(build.def()); });
  registry.replace("llm", [](const NodeBuild& build) { return llm_stand_in(build.def()); });
  return registry;
}

}  // namespace lg::test
