#pragma once

#include <libpq-fe.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace lg::detail {

/// A failure of the postgres node, its message naming the field at fault (`query: ...`,
/// `connection: ...`, `params[1]: ...`). Never holds the connection string or its password.
class PgError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// libpq's message on one line: its lines joined, the trailing newline gone.
[[nodiscard]] std::string one_line(std::string_view message);

/// The server's error in `result` for the query `sql`: its primary message and, when the server
/// points into the query, the place (`query: syntax error at or near "FORM" (at line 1,
/// column 19)`).
[[nodiscard]] PgError query_error(const PGresult* result, std::string_view sql);

/// "line L, column C" of character `position` (1-based, in characters as the server counts
/// them) of `text`, which is UTF-8.
[[nodiscard]] std::string place_of(std::string_view text, long position);

}  // namespace lg::detail
