#include "io/http/http_url.hpp"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

namespace lg::detail {
namespace {

[[noreturn]] void bad_url(std::string_view url, std::string_view why) {
  throw std::invalid_argument(fmt::format("'{}' is not a URL this node can call: {}", url, why));
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_url_delimiter(unsigned char c) {
  return std::string_view(":/?#[]@!$&'()*+,;=%").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

std::string encode_if(std::string_view text, bool (*keep)(unsigned char)) {
  std::string encoded;
  encoded.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (keep(byte)) {
      encoded += c;
    } else {
      encoded += fmt::format("%{:02X}", byte);
    }
  }
  return encoded;
}

}  // namespace

std::string HttpUrl::authority() const {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                             : fmt::format("{}:{}", host, port);
}

std::string HttpUrl::origin() const {
  return fmt::format("{}://{}", tls ? "https" : "http", authority());
}

HttpUrl parse_url(std::string_view url) {
  for (std::size_t i = 0; i < url.size(); ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    if (c <= ' ' || c == 0x7f) {
      bad_url(url, fmt::format("a space or control character at position {}", i + 1));
    }
  }
  HttpUrl parsed;
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
    parsed.port = 80;
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
    parsed.tls = true;
    parsed.port = 443;
  } else {
    bad_url(url, "it must start with http:// or https://");
  }
  const std::size_t path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view target = path_at == std::string_view::npos ? "" : rest.substr(path_at);
  target = target.substr(0, target.find('#'));  // a fragment stays with the client
  if (authority.find('@') != std::string_view::npos) {
    bad_url(url, "user info in a URL is not sent (put credentials in a header)");
  }
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      bad_url(url, "an IPv6 address without its closing ']'");
    }
    parsed.host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      bad_url(url, "text after the IPv6 address");
    }
    port = after.empty() ? after : after.substr(1);
  } else {
    const std::size_t colon = authority.find(':');
    parsed.host = authority.substr(0, colon);
    port = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon + 1);
  }
  if (parsed.host.empty()) {
    bad_url(url, "no host");
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      bad_url(url, fmt::format("'{}' is not a port from 1 to 65535", port));
    }
    parsed.port = static_cast<std::uint16_t>(value);
  }
  // fmt, not operator+: GCC 12 -O3 warns falsely (-Wstringop-overflow) on the concatenation.
  parsed.target = fmt::format("{}{}", target.starts_with('/') ? "" : "/", target);
  return parsed;
}

std::string percent_encode(std::string_view text) {
  return encode_if(text, is_unreserved);
}

std::string encode_unsafe(std::string_view text) {
  return encode_if(text, [](unsigned char c) { return is_unreserved(c) || is_url_delimiter(c); });
}

}  // namespace lg::detail
