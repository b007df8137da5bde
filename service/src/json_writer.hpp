#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace lg::service::detail {

/// Appends JSON to a string that the caller reuses: values go through one nlohmann serializer
/// (made once per response, not once per value), punctuation is written as it is. Invalid
/// UTF-8 in a value is replaced rather than failing the response.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out);

  /// A JSON value, compact.
  void value(const nlohmann::json& value);
  /// A JSON string.
  void string(std::string_view text);
  /// A whole number.
  void number(std::uint64_t value);
  /// Text that is JSON already (punctuation, numbers).
  void raw(std::string_view text) { out_.append(text); }
  /// `"name":`.
  void key(std::string_view name);

 private:
  std::string& out_;
  nlohmann::detail::serializer<nlohmann::json> serializer_;
};

/// `{"error":"..."}`, with `"node"` and `"kind"` when not empty, as one string.
[[nodiscard]] std::string error_body(std::string_view message, std::string_view node = {},
                                     std::string_view kind = {});

}  // namespace lg::service::detail
