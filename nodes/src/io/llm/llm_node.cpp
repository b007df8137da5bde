#include <logic_graph/engine/node/node_config.hpp>
#include "io/http/http_client.hpp"
#include "io/http/http_request_fields.hpp"
#include "io/llm/chat_completion.hpp"
#include "registration.hpp"
#include "text_template.hpp"

#include <fmt/format.h>
#include <boost/beast/http/field.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace lg::detail {
namespace {

using Json = nlohmann::json;
namespace http = boost::beast::http;

constexpr std::chrono::milliseconds default_timeout{120'000};  // models take their time
constexpr std::size_t default_max_response = 10 * 1024 * 1024;

// A configured value, else the environment variable's at run time.
std::string or_environment(const std::string& configured, const char* variable) {
  if (!configured.empty()) {
    return configured;
  }
  const char* value = std::getenv(variable);
  return value != nullptr ? value : "";
}

/// `llm`: one chat completion from an OpenAI-compatible server (OpenAI, Ollama, vLLM,
/// llama.cpp); the result is {"content", "model", "finish_reason", "usage"}, the content parsed
/// when `response_format` is "json".
class LlmNode final : public AsyncNode {
 public:
  explicit LlmNode(const NodeBuild& build)
      : AsyncNode(build.def()),
        client_(build, default_timeout, default_max_response),
        chat_(build.def()),
        headers_(build.def(), "headers") {
    const NodeDef& def = build.def();
    if (def.config.contains("api_key")) {
      throw ConfigError("api_key",
                        "a key does not belong in a graph file: name the "
                        "environment variable that holds it in api_key_env");
    }
    std::vector<std::string_view> known(HttpClient::fields.begin(), HttpClient::fields.end());
    known.insert(known.end(), ChatRequest::fields.begin(), ChatRequest::fields.end());
    known.insert(known.end(), {"endpoint", "model", "api_key_env", "headers"});
    config::allow_only(def, known);
    if (def.config.contains("endpoint")) {
      endpoint_.emplace(config::required_string(def, "endpoint"), "endpoint");
    }
    if (def.config.contains("model")) {
      model_ = config::required_string(def, "model");
    }
    if (def.config.contains("api_key_env")) {
      api_key_env_ = config::required_string(def, "api_key_env");
      if (api_key_env_.empty() || api_key_env_.find('=') != std::string::npos) {
        throw ConfigError("api_key_env", "must name an environment variable");
      }
    }
  }

 protected:
  boost::asio::awaitable<Json> do_run(NodeScope& scope) const override {
    std::string endpoint =
        endpoint_ ? endpoint_->render(scope, encode_unsafe) : or_environment("", "LG_LLM_ENDPOINT");
    if (endpoint.empty()) {
      throw std::runtime_error("endpoint: none configured and LG_LLM_ENDPOINT is not set");
    }
    const std::string model = or_environment(model_, "LG_LLM_MODEL");
    if (model.empty()) {
      throw std::runtime_error("model: none configured and LG_LLM_MODEL is not set");
    }
    while (endpoint.ends_with('/')) {
      endpoint.pop_back();
    }
    HttpUrl url;
    try {
      url = parse_url(endpoint + "/chat/completions");
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(fmt::format("endpoint: {}", e.what()));
    }
    HttpRequest request{http::verb::post, url.target, 11};
    request.set(http::field::user_agent, "logic-graph");
    request.set(http::field::content_type, "application/json");
    request.set(http::field::accept, "application/json");
    headers_.render(scope, request);
    if (!api_key_env_.empty()) {
      // Read on each run (a rotated key is taken up; a graph validates without it).
      const char* key = std::getenv(api_key_env_.c_str());
      if (key == nullptr || *key == '\0') {
        throw std::runtime_error(
            fmt::format("api_key_env: the environment variable '{}' is not set", api_key_env_));
      }
      request.set(http::field::authorization, fmt::format("Bearer {}", key));
    }
    request.body() = chat_.body(scope, model).dump(-1, ' ', false, Json::error_handler_t::replace);
    const HttpReply reply = co_await client_.send(scope, url, std::move(request));
    co_return chat_.result(reply, describe("POST", url));
  }

 private:
  HttpClient client_;
  ChatRequest chat_;
  HttpHeaders headers_;
  std::optional<TextTemplate> endpoint_;
  std::string model_;
  std::string api_key_env_;  // the key itself is never in a message, a log or a result
};

}  // namespace

void register_llm_node(NodeRegistry& registry) {
  registry.add("llm", [](const NodeBuild& build) { return std::make_unique<LlmNode>(build); });
  registry.claim_field("llm", "timeout_ms");
}

}  // namespace lg::detail
