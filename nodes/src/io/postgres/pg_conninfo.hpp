#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lg::detail {

/// A libpq connection string (`postgresql://...` or `key=value ...`), checked by libpq's parser
/// when made, with what messages need to leave its password out.
class PgConnectionString {
 public:
  /// Throws ConfigError for field `connection` when libpq cannot parse `text`; the message
  /// never shows the password.
  explicit PgConnectionString(std::string text);

  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  /// The string with its password replaced by `***`.
  [[nodiscard]] const std::string& masked() const noexcept { return masked_; }
  /// `message` with the connection string and the password taken out (libpq quotes the whole
  /// string in some of its messages).
  [[nodiscard]] std::string scrub(std::string message) const;

 private:
  std::string text_;
  std::string masked_;
  std::vector<std::string> secrets_;  // the password as written and as libpq reads it
};

/// The `connection` field of a node: a connection string, or the environment variable that
/// holds one.
struct PgConnectionField {
  std::optional<PgConnectionString> target;  // empty: `variable` was not set when read
  std::string variable;                      // for `env:VAR`
};

/// The `connection` field of `def`: a connection string, or `env:VAR` for the value of the
/// environment variable VAR, read now when it is set. Throws ConfigError naming the field.
[[nodiscard]] PgConnectionField connection_field(const NodeDef& def);

/// The connection string in environment variable `variable`, read now; std::runtime_error
/// naming the field when it is not set (a graph validates without it and fails when it runs).
[[nodiscard]] PgConnectionString connection_from_environment(const std::string& variable);

/// What PQconnectStartParams takes, keywords and values side by side.
struct PgConnectParams {
  std::vector<std::string> keywords;
  std::vector<std::string> values;
  /// From `connect_timeout`: how long the whole connect may take (libpq applies it only to its
  /// blocking connect).
  std::optional<std::chrono::seconds> connect_timeout;
};

/// The parameters for a new connection to `target`: host names resolved through Asio's resolver
/// (libpq would resolve them with a blocking call) into `hostaddr`, one attempt per address,
/// and the client encoding UTF-8. Throws PgError when a name does not resolve.
[[nodiscard]] boost::asio::awaitable<PgConnectParams> connect_params(
    const PgConnectionString& target, boost::asio::any_io_executor io);

}  // namespace lg::detail
