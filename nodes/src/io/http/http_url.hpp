#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lg::detail {

/// What a request needs from an `http://` or `https://` URL.
struct HttpUrl {
  bool tls = false;
  std::string host;  // a name, an IPv4 address or an IPv6 address without brackets
  std::uint16_t port = 0;
  std::string target;  // path and query, "/" at least

  /// "host:port" as a Host header and as a pool's name ("[::1]:8080" for IPv6).
  [[nodiscard]] std::string authority() const;
  /// "https://host:port": the connections that can serve this URL.
  [[nodiscard]] std::string origin() const;
};

/// Reads `url`; std::invalid_argument saying what is wrong (a scheme other than http and https,
/// no host, a bad port, user info, spaces or control characters).
[[nodiscard]] HttpUrl parse_url(std::string_view url);

/// `text` with every byte but ALPHA, DIGIT and "-._~" as %XX: safe in a path segment and in a
/// query's name or value.
[[nodiscard]] std::string percent_encode(std::string_view text);

/// `text` with every byte that may not appear in a URL as %XX (spaces, quotes, control and
/// non-ASCII bytes), and the URL's own delimiters (":/?#[]@!$&'()*+,;=", "%") kept: what a value
/// put into a URL template becomes.
[[nodiscard]] std::string encode_unsafe(std::string_view text);

}  // namespace lg::detail
