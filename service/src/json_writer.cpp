#include "json_writer.hpp"

namespace lg::service::detail {

using Json = nlohmann::json;

JsonWriter::JsonWriter(std::string& out)
    : out_(out),
      serializer_(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
                  Json::error_handler_t::replace) {}

void JsonWriter::value(const Json& value) {
  serializer_.dump(value, false, false, 0);
}

void JsonWriter::string(std::string_view text) {
  value(Json(text));
}

void JsonWriter::key(std::string_view name) {
  string(name);
  out_ += ':';
}

std::string error_body(std::string_view message, std::string_view node, std::string_view kind) {
  std::string body;
  JsonWriter json(body);
  json.raw("{\"error\":");
  json.string(message);
  if (!node.empty()) {
    json.raw(",\"node\":");
    json.string(node);
  }
  if (!kind.empty()) {
    json.raw(",\"kind\":");
    json.string(kind);
  }
  json.raw("}");
  return body;
}

}  // namespace lg::service::detail
