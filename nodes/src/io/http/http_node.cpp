#include <logic_graph/engine/node/node_config.hpp>
#include "io/http/http_client.hpp"
#include "io/http/http_request_fields.hpp"
#include "registration.hpp"
#include "text_template.hpp"

#include <fmt/format.h>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace lg::detail {
namespace {

using Json = nlohmann::json;
namespace http = boost::beast::http;

constexpr std::chrono::milliseconds default_timeout{30'000};
constexpr std::size_t default_max_response = 10 * 1024 * 1024;
// Of a failed response's body in the node's error: enough to read a server's reason.
constexpr std::size_t excerpt_bytes = 200;

http::verb method_of(const NodeDef& def) {
  if (!def.config.contains("method")) {
    return http::verb::get;
  }
  const std::string name = config::required_string(def, "method");
  const http::verb verb = http::string_to_verb(name);
  if (verb == http::verb::unknown || name == "CONNECT") {
    throw ConfigError("method", fmt::format("'{}' is not an HTTP method (GET, POST, PUT, "
                                            "PATCH, DELETE, HEAD, OPTIONS; upper case)",
                                            name));
  }
  return verb;
}

std::vector<unsigned> accepted_of(const NodeDef& def) {
  std::vector<unsigned> accepted;
  const auto found = def.config.find("accept_status");
  if (found == def.config.end()) {
    return accepted;
  }
  if (!found->is_array()) {
    throw ConfigError("accept_status", "must be an array of status codes (such as [404, 409])");
  }
  for (std::size_t i = 0; i < found->size(); ++i) {
    const Json& code = (*found)[i];
    if (!code.is_number_integer() || code.get<std::int64_t>() < 100 ||
        code.get<std::int64_t>() > 599) {
      throw ConfigError(fmt::format("accept_status[{}]", i),
                        "must be a status code from 100 to 599, found " + code.dump());
    }
    accepted.push_back(code.get<unsigned>());
  }
  return accepted;
}

// What a failed response's body shows in a message: its start, control characters as spaces.
std::string excerpt(std::string_view body) {
  std::string text(body.substr(0, excerpt_bytes));
  std::replace_if(
      text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < ' '; }, ' ');
  return body.size() > excerpt_bytes ? text + "..." : text;
}

/// `http`: one request with templated url, query, headers and body; the result is
/// {"status", "headers", "body"} (JSON bodies parsed).
class HttpNode final : public AsyncNode {
 public:
  explicit HttpNode(const NodeBuild& build)
      : AsyncNode(build.def()),
        client_(build, default_timeout, default_max_response),
        method_(method_of(build.def())),
        fields_(build.def()),
        accepted_(accepted_of(build.def())) {
    std::vector<std::string_view> known(HttpClient::fields.begin(), HttpClient::fields.end());
    known.insert(known.end(), {"method", "accept_status"});
    known.insert(known.end(), HttpRequestFields::fields.begin(), HttpRequestFields::fields.end());
    config::allow_only(build.def(), known);
  }

 protected:
  boost::asio::awaitable<Json> do_run(NodeScope& scope) const override {
    HttpUrl url;
    HttpRequest request = fields_.render(scope, method_, url);
    HttpReply reply = co_await client_.send(scope, url, std::move(request));
    if (reply.status >= 400 &&
        std::find(accepted_.begin(), accepted_.end(), reply.status) == accepted_.end()) {
      throw std::runtime_error(fmt::format("{}: status {}{}{}",
                                           describe(http::to_string(method_), url), reply.status,
                                           reply.body.empty() ? "" : ": ", excerpt(reply.body)));
    }
    Json body = reply.json && !reply.body.empty() ? parse_json_body(reply.body) : Json(reply.body);
    co_return Json{
        {"status", reply.status}, {"headers", std::move(reply.headers)}, {"body", std::move(body)}};
  }

 private:
  HttpClient client_;
  http::verb method_;
  HttpRequestFields fields_;
  std::vector<unsigned> accepted_;
};

}  // namespace

void register_http_node(NodeRegistry& registry) {
  registry.add("http", [](const NodeBuild& build) { return std::make_unique<HttpNode>(build); });
  // The request's own time limit: the connection and the response read end by it.
  registry.claim_field("http", "timeout_ms");
}

}  // namespace lg::detail
