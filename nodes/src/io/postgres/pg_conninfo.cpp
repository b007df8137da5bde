#include "io/postgres/pg_conninfo.hpp"

#include <logic_graph/engine/node/node_config.hpp>
#include "io/postgres/pg_error.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <utility>

namespace lg::detail {
namespace {

struct Span {
  std::size_t begin;
  std::size_t size;
};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Where the password is written in a `key=value` string, read as libpq reads it.
std::vector<Span> keyword_passwords(std::string_view text) {
  std::vector<Span> found;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) {
      ++i;
    }
    const std::size_t key_begin = i;
    while (i < text.size() && text[i] != '=' && !is_space(text[i])) {
      ++i;
    }
    const std::string_view key = text.substr(key_begin, i - key_begin);
    while (i < text.size() && is_space(text[i])) {
      ++i;
    }
    if (i >= text.size() || text[i] != '=') {
      break;  // not key=value: libpq refuses it, and nothing after it is a value
    }
    ++i;
    while (i < text.size() && is_space(text[i])) {
      ++i;
    }
    const std::size_t value_begin = i;
    const bool quoted = i < text.size() && text[i] == '\'';
    if (quoted) {
      ++i;
    }
    while (i < text.size() && (quoted ? text[i] != '\'' : !is_space(text[i]))) {
      i += text[i] == '\\' && i + 1 < text.size() ? 2 : 1;
    }
    if (quoted && i < text.size()) {
      ++i;
    }
    if (key == "password" && i > value_begin) {
      found.push_back({value_begin, i - value_begin});
    }
  }
  return found;
}

// Where the password is written in a `postgresql://user:password@host/db?password=...` URI.
std::vector<Span> uri_passwords(std::string_view text, std::size_t scheme_end) {
  std::vector<Span> found;
  const std::size_t authority_end = std::min(text.find_first_of("/?", scheme_end), text.size());
  const std::string_view authority = text.substr(scheme_end, authority_end - scheme_end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    if (const std::size_t colon = authority.find(':'); colon < at && colon + 1 < at) {
      found.push_back({scheme_end + colon + 1, at - colon - 1});
    }
  }
  std::size_t i = text.find('?', scheme_end);
  while (i != std::string_view::npos && i < text.size()) {
    const std::size_t begin = i + 1;
    const std::size_t end = std::min(text.find('&', begin), text.size());
    const std::string_view pair = text.substr(begin, end - begin);
    if (pair.starts_with("password=") && pair.size() > 9) {
      found.push_back({begin + 9, pair.size() - 9});
    }
    i = end;
  }
  return found;
}

std::vector<Span> passwords_in(std::string_view text) {
  for (const std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (text.starts_with(scheme)) {
      return uri_passwords(text, scheme.size());
    }
  }
  return keyword_passwords(text);
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) {
    return;
  }
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

using Options = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

// libpq's reading of `text`, or its complaint.
Options parse(const std::string& text, std::string* complaint) {
  char* error = nullptr;
  Options options(PQconninfoParse(text.c_str(), &error), &PQconninfoFree);
  if (error != nullptr) {
    if (complaint != nullptr) {
      *complaint = one_line(error);
    }
    PQfreemem(error);
  }
  return options;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t comma = list.find(',', begin);
    items.push_back(list.substr(begin, comma - begin));
    if (comma == std::string::npos) {
      return items;
    }
    begin = comma + 1;
  }
}

// A host name that libpq would look up: not a socket directory, not an address.
bool needs_lookup(const std::string& host) {
  if (host.empty() || host.front() == '/' || host.front() == '@') {
    return false;
  }
  boost::system::error_code not_address;
  (void)boost::asio::ip::make_address(host, not_address);
  return static_cast<bool>(not_address);
}

std::string join(const std::vector<std::string>& items) {
  std::string list;
  for (std::size_t i = 0; i < items.size(); ++i) {
    list += i == 0 ? "" : ",";
    list += items[i];
  }
  return list;
}

}  // namespace

PgConnectionString::PgConnectionString(std::string text) : text_(std::move(text)) {
  masked_ = text_;
  const std::vector<Span> spans = passwords_in(text_);
  for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
    secrets_.push_back(text_.substr(span->begin, span->size));
    masked_.replace(span->begin, span->size, "***");
  }
  std::string complaint;
  const Options options = parse(text_, &complaint);
  if (!options) {
    throw ConfigError("connection", "libpq cannot read it: " + scrub(complaint));
  }
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr && std::string_view(option->keyword) == "password" &&
        *option->val != '\0') {
      secrets_.emplace_back(option->val);
    }
  }
  // Longest first: a shorter form inside a longer one must not leave the rest behind.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string PgConnectionString::scrub(std::string message) const {
  replace_all(message, text_, masked_);
  for (const std::string& secret : secrets_) {
    // A password of a few letters would blank out words of the message: those are only ever
    // quoted as part of the whole string, taken out above.
    if (secret.size() >= 4) {
      replace_all(message, secret, "***");
    }
  }
  return message;
}

PgConnectionField connection_field(const NodeDef& def) {
  std::string text = config::required_string(def, "connection");
  if (text.starts_with("env:")) {
    std::string variable = text.substr(4);
    if (variable.empty() || variable.find('=') != std::string::npos) {
      throw ConfigError("connection", "'env:' names no environment variable");
    }
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr || *value == '\0') {
      return {std::nullopt, std::move(variable)};
    }
    return {PgConnectionString(value), std::move(variable)};
  }
  if (text.empty()) {
    throw ConfigError("connection",
                      "must be a connection string (postgresql://user@host:port/database or "
                      "'host=... dbname=...') or env:VARIABLE");
  }
  return {PgConnectionString(std::move(text)), {}};
}

PgConnectionString connection_from_environment(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(
        fmt::format("connection: the environment variable {} is not set", variable));
  }
  try {
    return PgConnectionString(value);
  } catch (const ConfigError& e) {
    throw std::runtime_error(fmt::format("connection (from {}): {}", variable, e.reason()));
  }
}

boost::asio::awaitable<PgConnectParams> connect_params(const PgConnectionString& target,
                                                       boost::asio::any_io_executor io) {
  const Options options = parse(target.text(), nullptr);
  if (!options) {
    throw PgError("connection: libpq cannot read the connection string");
  }
  PgConnectParams params;
  std::string host;
  std::string hostaddr;
  std::string port;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr) {
      continue;
    }
    const std::string_view key = option->keyword;
    if (key == "host") {
      host = option->val;
    } else if (key == "hostaddr") {
      hostaddr = option->val;
    } else if (key == "port") {
      port = option->val;
    } else if (key != "client_encoding") {
      if (key == "connect_timeout" && std::atoi(option->val) > 0) {
        params.connect_timeout = std::chrono::seconds(std::max(2, std::atoi(option->val)));
      }
      params.keywords.emplace_back(key);
      params.values.emplace_back(option->val);
    }
  }
  // libpq reads these from the environment when the string does not set them.
  const auto from_environment = [](std::string& value, const char* variable) {
    const char* set = std::getenv(variable);
    if (value.empty() && set != nullptr) {
      value = set;
    }
  };
  from_environment(host, "PGHOST");
  from_environment(hostaddr, "PGHOSTADDR");
  from_environment(port, "PGPORT");

  const std::vector<std::string> hosts = split(host);
  const std::vector<std::string> ports = split(port);
  const bool one_port = ports.size() == 1;
  if (hostaddr.empty() && (one_port || ports.size() == hosts.size()) &&
      std::any_of(hosts.begin(), hosts.end(), needs_lookup)) {
    std::vector<std::string> names;
    std::vector<std::string> addresses;
    std::vector<std::string> numbers;
    boost::asio::ip::tcp::resolver resolver(io);
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      std::vector<std::string> found;
      if (needs_lookup(hosts[i])) {
        // getaddrinfo on Asio's resolver thread (a stop waits for it: it cannot be cancelled).
        boost::system::error_code error;
        const auto results = co_await resolver.async_resolve(
            hosts[i], "", boost::asio::redirect_error(boost::asio::use_awaitable, error));
        if (error) {
          throw PgError(
              fmt::format("connection: could not translate host name \"{}\" to address: {}",
                          hosts[i], error.message()));
        }
        for (const auto& entry : results) {
          std::string address = entry.endpoint().address().to_string();
          if (std::find(found.begin(), found.end(), address) == found.end()) {
            found.push_back(std::move(address));
          }
        }
      } else {
        found.emplace_back();  // empty: libpq uses the host as it is
      }
      for (std::string& address : found) {
        names.push_back(hosts[i]);
        addresses.push_back(std::move(address));
        numbers.push_back(one_port ? ports.front() : ports[i]);
      }
    }
    host = join(names);
    hostaddr = join(addresses);
    if (!one_port) {
      port = join(numbers);
    }
  }
  const auto add = [&params](const char* key, std::string& value) {
    if (!value.empty()) {
      params.keywords.emplace_back(key);
      params.values.push_back(std::move(value));
    }
  };
  add("host", host);
  add("hostaddr", hostaddr);
  add("port", port);
  // Text from the server is JSON's strings: UTF-8 whatever the database's encoding.
  params.keywords.emplace_back("client_encoding");
  params.values.emplace_back("UTF8");
  co_return params;
}

}  // namespace lg::detail
