#include "io/postgres/pg_error.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

namespace lg::detail {

std::string one_line(std::string_view message) {
  std::string line;
  line.reserve(message.size());
  bool space = false;
  for (const char c : message) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !line.empty();
      continue;
    }
    if (space) {
      line.push_back(' ');
      space = false;
    }
    line.push_back(c);
  }
  return line;
}

std::string place_of(std::string_view text, long position) {
  std::size_t line = 1;
  std::size_t column = 1;
  long character = 1;
  for (std::size_t i = 0; i < text.size() && character < position; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) {
      continue;  // a continuation byte: part of the character counted already
    }
    ++character;
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("line {}, column {}", line, column);
}

PgError query_error(const PGresult* result, std::string_view sql) {
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string message = primary != nullptr ? primary : one_line(PQresultErrorMessage(result));
  if (message.empty()) {
    message = "failed without a message from the server";
  }
  // FATAL: the server ends the session (terminated, shutting down), whatever the query was.
  const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
  if (severity != nullptr &&
      (std::strcmp(severity, "FATAL") == 0 || std::strcmp(severity, "PANIC") == 0)) {
    return PgError("connection: " + message);
  }
  if (const char* position = PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION)) {
    const long at = std::strtol(position, nullptr, 10);
    if (at > 0) {
      message += " (at " + place_of(sql, at) + ")";
    }
  }
  return PgError("query: " + message);
}

}  // namespace lg::detail
