#include "io/llm/chat_completion.hpp"

#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

// A server's own words for an error: OpenAI's {"error": {"message"}}, else the start of the body.
std::string reason_of(const HttpReply& reply) {
  if (reply.json) {
    try {
      const Json body = parse_json_body(reply.body);
      if (const auto error = body.find("error"); error != body.end()) {
        if (error->is_object() && error->contains("message") && (*error)["message"].is_string()) {
          return (*error)["message"].get<std::string>();
        }
        if (error->is_string()) {
          return error->get<std::string>();
        }
      }
    } catch (const std::exception&) {
      // Not the protocol's error: the text below says what came.
    }
  }
  std::string text = reply.body.substr(0, 200);
  std::replace_if(
      text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < ' '; }, ' ');
  return text;
}

}  // namespace

ChatRequest::ChatRequest(const NodeDef& def) {
  const bool has_prompt = def.config.contains("prompt");
  const bool has_messages = def.config.contains("messages");
  if (has_prompt == has_messages) {
    throw ConfigError(has_prompt ? "messages" : "prompt",
                      "give either `prompt` (a template) or `messages` (role and content "
                      "templates), not both and not neither");
  }
  if (has_prompt) {
    if (def.config.contains("system")) {
      messages_.push_back(
          {"system", TextTemplate(config::required_string(def, "system"), "system")});
    }
    messages_.push_back({"user", TextTemplate(config::required_string(def, "prompt"), "prompt")});
  } else {
    if (def.config.contains("system")) {
      throw ConfigError("system", "goes with `prompt`; with `messages`, give a system message");
    }
    const Json& messages = def.config["messages"];
    if (!messages.is_array() || messages.empty()) {
      throw ConfigError("messages", "must be a non-empty array of {\"role\", \"content\"}");
    }
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const Json& message = messages[i];
      const std::string at = fmt::format("messages[{}]", i);
      if (!message.is_object() || !message.contains("role") || !message["role"].is_string() ||
          !message.contains("content") || !message["content"].is_string() || message.size() != 2) {
        throw ConfigError(at,
                          "must be {\"role\": \"system\" | \"user\" | \"assistant\", "
                          "\"content\": TEMPLATE}");
      }
      const std::string role = message["role"].get<std::string>();
      if (role != "system" && role != "user" && role != "assistant") {
        throw ConfigError(at + ".role",
                          "must be \"system\", \"user\" or \"assistant\", found '" + role + "'");
      }
      messages_.push_back(
          {role, TextTemplate(message["content"].get<std::string>(), at + ".content")});
    }
  }
  if (const auto found = def.config.find("temperature"); found != def.config.end()) {
    if (!found->is_number() || found->get<double>() < 0 || found->get<double>() > 2) {
      throw ConfigError("temperature", "must be a number from 0 to 2, found " + found->dump());
    }
    temperature_ = found->get<double>();
  }
  if (def.config.contains("max_tokens")) {
    max_tokens_ = config::optional_count(def, "max_tokens", 0);
    if (*max_tokens_ < 1) {
      throw ConfigError("max_tokens", "must be at least 1");
    }
  }
  if (def.config.contains("response_format")) {
    const std::string format = config::required_string(def, "response_format");
    if (format != "json" && format != "text") {
      throw ConfigError("response_format", "must be \"text\" or \"json\", found '" + format + "'");
    }
    json_ = format == "json";
  }
}

Json ChatRequest::body(const NodeScope& scope, const std::string& model) const {
  Json messages = Json::array();
  for (const Message& message : messages_) {
    messages.push_back({{"role", message.role}, {"content", message.content.render(scope)}});
  }
  Json body{{"model", model}, {"messages", std::move(messages)}, {"stream", false}};
  if (temperature_) {
    body["temperature"] = *temperature_;
  }
  if (max_tokens_) {
    body["max_tokens"] = *max_tokens_;
  }
  if (json_) {
    body["response_format"] = {{"type", "json_object"}};
  }
  return body;
}

Json ChatRequest::result(const HttpReply& reply, const std::string& what) const {
  if (reply.status == 429) {
    const auto retry_after = reply.headers.find("retry-after");
    throw std::runtime_error(fmt::format("{}: rate limited (status 429{}): {}", what,
                                         retry_after != reply.headers.end()
                                             ? ", Retry-After " + retry_after->get<std::string>()
                                             : "",
                                         reason_of(reply)));
  }
  if (reply.status >= 400) {
    throw std::runtime_error(
        fmt::format("{}: status {}: {}", what, reply.status, reason_of(reply)));
  }
  Json body;
  try {
    body = parse_json_body(reply.body);
  } catch (const HttpFailure& e) {
    throw std::runtime_error(fmt::format("{}: {}", what, e.what()));
  }
  const Json* content = nullptr;
  if (body.is_object() && body.contains("choices") && body["choices"].is_array() &&
      !body["choices"].empty() && body["choices"][0].is_object()) {
    const Json& choice = body["choices"][0];
    if (choice.contains("message") && choice["message"].is_object() &&
        choice["message"].contains("content") && choice["message"]["content"].is_string()) {
      content = &choice["message"]["content"];
    }
  }
  if (content == nullptr) {
    throw std::runtime_error(
        fmt::format("{}: the response has no choices[0].message.content", what));
  }
  Json result{{"content", *content},
              {"model", body.value("model", Json())},
              {"finish_reason", body["choices"][0].value("finish_reason", Json())},
              {"usage", body.value("usage", Json())}};
  if (json_) {
    try {
      result["content"] = parse_json_body(content->get<std::string>());
    } catch (const HttpFailure& e) {
      throw std::runtime_error(
          fmt::format("{}: response_format json, but the model's answer {}", what,
                      std::string(e.what()).substr(std::string_view("the response ").size())));
    }
  }
  return result;
}

}  // namespace lg::detail
