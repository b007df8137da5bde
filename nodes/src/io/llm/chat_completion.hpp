#pragma once

#include "io/http/http_exchange.hpp"
#include "text_template.hpp"

#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_scope.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lg::detail {

/// The OpenAI chat-completions protocol of the `llm` node: the request's body from the config
/// (`prompt` with an optional `system`, or `messages`; `temperature`, `max_tokens`,
/// `response_format`), and the node's result from the server's response.
class ChatRequest {
 public:
  /// Reads the fields; ConfigError naming the field.
  explicit ChatRequest(const NodeDef& def);
  static constexpr std::array<std::string_view, 6> fields = {
      "prompt", "system", "messages", "temperature", "max_tokens", "response_format"};

  /// The request body for `model`, the templates rendered in `scope`.
  [[nodiscard]] nlohmann::json body(const NodeScope& scope, const std::string& model) const;
  /// {"content", "model", "finish_reason", "usage"} from a response; std::runtime_error
  /// starting with `what` for an error status (a 429 says it was rate limited), a body that is
  /// not a completion, or (response_format json) content that is not JSON.
  [[nodiscard]] nlohmann::json result(const HttpReply& reply, const std::string& what) const;

 private:
  struct Message {
    std::string role;
    TextTemplate content;
  };
  std::vector<Message> messages_;
  std::optional<double> temperature_;
  std::optional<std::int64_t> max_tokens_;
  bool json_ = false;
};

}  // namespace lg::detail
