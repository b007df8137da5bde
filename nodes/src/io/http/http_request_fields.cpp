#include "io/http/http_request_fields.hpp"

#include <logic_graph/engine/node/node_config.hpp>
#include <logic_graph/engine/node/node_registry.hpp>

#include <fmt/format.h>
#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace lg::detail {
namespace {

using Json = nlohmann::json;
namespace http = boost::beast::http;

bool is_token(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Templates of a config object's string members, named `field.name`.
std::vector<std::pair<std::string, TextTemplate>> templates_of(const NodeDef& def,
                                                               std::string_view field) {
  std::vector<std::pair<std::string, TextTemplate>> templates;
  const auto found = def.config.find(field);
  if (found == def.config.end()) {
    return templates;
  }
  if (!found->is_object()) {
    throw ConfigError(std::string(field), "must be an object of names to text templates");
  }
  for (const auto& [name, value] : found->items()) {
    const std::string path = fmt::format("{}.{}", field, name);
    if (!value.is_string()) {
      throw ConfigError(path, "must be a text template (a string), found " + value.dump());
    }
    templates.emplace_back(name, TextTemplate(value.get_ref<const std::string&>(), path));
  }
  return templates;
}

}  // namespace

HttpHeaders::HttpHeaders(const NodeDef& def, std::string_view field)
    : field_(field), headers_(templates_of(def, field)) {
  for (const auto& [name, value] : headers_) {
    if (!is_token(name)) {
      throw ConfigError(fmt::format("{}.{}", field, name), "is not a valid header name");
    }
    for (const std::string_view framing :
         {"Host", "Content-Length", "Transfer-Encoding", "Connection"}) {
      if (same_name(name, framing)) {
        throw ConfigError(fmt::format("{}.{}", field, name),
                          "is set by the client (from the url and the body)");
      }
    }
  }
}

void HttpHeaders::render(const NodeScope& scope, HttpRequest& request) const {
  for (const auto& [name, value] : headers_) {
    std::string text = value.render(scope);
    if (text.find_first_of("\r\n", 0) != std::string::npos ||
        text.find('\0') != std::string::npos) {
      throw std::runtime_error(fmt::format(
          "{}.{}: the value has a line break or a NUL, which a header cannot hold", field_, name));
    }
    request.set(name, text);
  }
}

bool HttpHeaders::has(std::string_view name) const noexcept {
  return std::any_of(headers_.begin(), headers_.end(),
                     [&](const auto& header) { return same_name(header.first, name); });
}

JsonBodyTemplate::JsonBodyTemplate(const Json& config, const std::string& field) {
  if (config.is_object()) {
    shape_ = Shape::object;
    for (const auto& [name, value] : config.items()) {
      members_.emplace_back(name, JsonBodyTemplate(value, field + "." + name));
    }
  } else if (config.is_array()) {
    shape_ = Shape::array;
    for (std::size_t i = 0; i < config.size(); ++i) {
      members_.emplace_back("", JsonBodyTemplate(config[i], fmt::format("{}[{}]", field, i)));
    }
  } else {
    value_.push_back(config::expression_value(config, field));
  }
}

Json JsonBodyTemplate::render(const NodeScope& scope) const {
  switch (shape_) {
    case Shape::value:
      return scope.evaluate(value_.front());
    case Shape::object: {
      Json object = Json::object();
      for (const auto& [name, member] : members_) {
        object[name] = member.render(scope);
      }
      return object;
    }
    case Shape::array: {
      Json array = Json::array();
      for (const auto& [name, member] : members_) {
        array.push_back(member.render(scope));
      }
      return array;
    }
  }
  return nullptr;
}

HttpRequestFields::HttpRequestFields(const NodeDef& def)
    : url_(config::required_string(def, "url"), "url"),
      query_(templates_of(def, "query")),
      headers_(def, "headers") {
  if (const auto body = def.config.find("body"); body != def.config.end()) {
    if (body->is_string()) {
      text_body_.emplace(body->get_ref<const std::string&>(), "body");
    } else if (body->is_structured()) {
      json_body_.emplace(*body, "body");
    } else {
      throw ConfigError("body",
                        "must be a text template or an object (or array) of "
                        "expressions sent as JSON, found " +
                            body->dump());
    }
  }
}

HttpRequest HttpRequestFields::render(const NodeScope& scope, http::verb method,
                                      HttpUrl& url) const {
  try {
    url = parse_url(url_.render(scope, encode_unsafe));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("url: {}", e.what()));
  }
  char separator = url.target.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : query_) {
    url.target += separator;
    url.target += percent_encode(name);
    url.target += '=';
    url.target += percent_encode(value.render(scope));
    separator = '&';
  }
  HttpRequest request{method, url.target, 11};
  request.set(http::field::user_agent, "logic-graph");
  request.set(http::field::accept, "application/json, */*;q=0.5");
  headers_.render(scope, request);
  if (text_body_) {
    request.body() = text_body_->render(scope);
    if (!headers_.has("Content-Type")) {
      request.set(http::field::content_type, "text/plain; charset=utf-8");
    }
  } else if (json_body_) {
    request.body() = json_body_->render(scope).dump(-1, ' ', false, Json::error_handler_t::replace);
    if (!headers_.has("Content-Type")) {
      request.set(http::field::content_type, "application/json");
    }
  }
  return request;
}

}  // namespace lg::detail
