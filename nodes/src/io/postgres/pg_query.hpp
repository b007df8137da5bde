#pragma once

#include "io/sql_mode.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace lg::detail {

class PgPool;

/// A node's query, shared with its runs in progress.
struct PgQuery {
  std::string sql;
  SqlMode mode = SqlMode::rows;
  std::size_t max_rows = 100000;
};

/// A run's parameters in the server's text format ($1, $2...).
class PgParams {
 public:
  /// `values` as text: null as NULL, booleans as true and false, numbers and strings as they
  /// are, arrays and objects as JSON text. Throws PgError naming `params[i]` for a string that
  /// holds a NUL character (the server's text cannot).
  explicit PgParams(const std::vector<nlohmann::json>& values);
  PgParams(const PgParams&) = delete;
  PgParams& operator=(const PgParams&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  /// For PQsendQueryPrepared: each value's text, null for NULL.
  [[nodiscard]] const char* const* values() const noexcept { return values_.data(); }

 private:
  std::vector<std::string> texts_;
  std::vector<const char*> values_;
};

/// Runs `query` with `params` on a connection of `pool`: a statement prepared once per
/// connection, rows read one at a time. A connection found broken before the query was sent is
/// replaced once; a run abandoned with its query in flight (cancelled, or its result refused)
/// cancels the query on the server and reads the rest of the answer before the connection goes
/// back to the pool, or closes it. Throws PgError naming the field at fault.
boost::asio::awaitable<nlohmann::json> run_query(PgPool& pool, const PgQuery& query,
                                                 const PgParams& params);

}  // namespace lg::detail
