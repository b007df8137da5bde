#pragma once

#include "io/sql_mode.hpp"
#include "io/sqlite/sqlite_connection.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace lg::detail {

/// A query's parameters, evaluated for one run: by number (?1, ?), or by name (:name, @name,
/// $name) when `names` is not empty (names[i] goes with values[i]).
struct SqlParams {
  std::vector<std::string> names;
  std::vector<nlohmann::json> values;
};

/// Runs `sql` on `connection` with `params`: rows as objects of their columns (integers,
/// reals, text, null; blobs as base64 text), at most `max_rows` of them; `exec` gives
/// {"changes", "last_insert_id"}. Throws SqliteError naming the query's field and place.
[[nodiscard]] nlohmann::json run_query(SqliteConnection& connection, const std::string& sql,
                                       const SqlParams& params, SqlMode mode, std::size_t max_rows);

}  // namespace lg::detail
