#include "json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

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
  // Ids and keys are plain ASCII nearly always: written as they are, without building a JSON
  // string (a heap allocation); anything else is escaped by nlohmann.
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (!plain) {
    value(Json(text));
    return;
  }
  out_ += '"';
  out_.append(text);
  out_ += '"';
}

void JsonWriter::number(std::uint64_t value) {
  fmt::format_to(std::back_inserter(out_), "{}", value);
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
