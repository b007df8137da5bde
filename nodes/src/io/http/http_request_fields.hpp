#pragma once

#include "io/http/http_connection.hpp"
#include "io/http/http_url.hpp"
#include "text_template.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/engine/node/node_scope.hpp>

#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lg::detail {

/// Request headers from a config object of name -> template: names checked when built (tokens;
/// not the framing headers the client sets), values when rendered (no line breaks).
class HttpHeaders {
 public:
  HttpHeaders() = default;
  /// Reads config field `field` (absent: no headers).
  HttpHeaders(const NodeDef& def, std::string_view field);
  /// Adds every header, rendered in `scope`, to `request`.
  void render(const NodeScope& scope, HttpRequest& request) const;
  /// True when a header of this name (any case) is configured.
  [[nodiscard]] bool has(std::string_view name) const noexcept;

 private:
  std::string field_;
  std::vector<std::pair<std::string, TextTemplate>> headers_;
};

/// A JSON body from a config value: objects and arrays as they are, every other value an
/// expression (a string is its text, a literal its own value).
class JsonBodyTemplate {
 public:
  JsonBodyTemplate(const nlohmann::json& config, const std::string& field);
  [[nodiscard]] nlohmann::json render(const NodeScope& scope) const;

 private:
  enum class Shape { value, object, array };
  Shape shape_ = Shape::value;
  std::vector<Expression> value_;  // one, for a value
  std::vector<std::pair<std::string, JsonBodyTemplate>> members_;
};

/// The `http` node's request fields: `url` (a template; values put in are encoded where a URL
/// cannot hold them), `query` (name -> template, percent-encoded), `headers` and `body` (a
/// template, or JSON made of expressions, sent as application/json).
class HttpRequestFields {
 public:
  explicit HttpRequestFields(const NodeDef& def);
  static constexpr std::array<std::string_view, 4> fields = {"url", "query", "headers", "body"};

  /// The request for `method`, with `url` set to where it goes; std::runtime_error naming the
  /// field when a rendered URL or header is not valid.
  [[nodiscard]] HttpRequest render(const NodeScope& scope, boost::beast::http::verb method,
                                   HttpUrl& url) const;

 private:
  TextTemplate url_;
  std::vector<std::pair<std::string, TextTemplate>> query_;
  HttpHeaders headers_;
  std::optional<TextTemplate> text_body_;
  std::optional<JsonBodyTemplate> json_body_;
};

}  // namespace lg::detail
