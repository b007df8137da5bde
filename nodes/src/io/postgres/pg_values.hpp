#pragma once

#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

// Values from the server's text format to JSON, chosen by the column's type: integers (int2,
// int4, int8, oid), numbers (float4, float8; numeric when exact, see read_numeric), booleans,
// JSON (json, jsonb), ISO-8601 strings (date, time, timetz, timestamp, timestamptz, interval),
// base64 (bytea), arrays of these as JSON arrays, and the text of any other type. The session
// settings that make the text predictable are PgConnection's (ISO dates, hex bytea).
namespace lg::detail {

/// Reads one value of a column's type from its text.
using PgReader = nlohmann::json (*)(std::string_view text);

/// The reader for values of type `type` (an OID).
[[nodiscard]] PgReader reader_for(Oid type) noexcept;

/// A numeric's text as JSON: an integer when it has no fraction and fits 64 bits, a number when
/// it has at most 15 significant digits (a double holds those as written), else the text with
/// all its digits (and `NaN`, `Infinity`, `-Infinity` as text).
[[nodiscard]] nlohmann::json read_numeric(std::string_view text);

/// A column of a result: its name and the reader of its values.
struct PgColumn {
  std::string name;
  PgReader read;
};

/// The columns of `result` (a row description).
[[nodiscard]] std::vector<PgColumn> columns_of(const PGresult* result);

/// Row `row` of `result` as an object of `columns`.
[[nodiscard]] nlohmann::json row_of(const PGresult* result, int row,
                                    const std::vector<PgColumn>& columns);

/// The value in row `row`, column `column` of `result` (null for NULL).
[[nodiscard]] nlohmann::json value_of(const PGresult* result, int row, int column,
                                      const std::vector<PgColumn>& columns);

}  // namespace lg::detail
