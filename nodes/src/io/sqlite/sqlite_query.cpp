#include "io/sqlite/sqlite_query.hpp"

#include "io/base64.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <string_view>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

// Leaves the statement ready for its next run, whatever happened in this one.
struct ResetOnExit {
  sqlite3_stmt* statement;
  ~ResetOnExit() {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }
};

void bind_value(SqliteConnection& connection, sqlite3_stmt* statement, int index, const Json& value,
                std::string_view name) {
  int status = SQLITE_OK;
  switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
      status = sqlite3_bind_null(statement, index);
      break;
    case Json::value_t::boolean:
      status = sqlite3_bind_int(statement, index, value.get<bool>() ? 1 : 0);
      break;
    case Json::value_t::number_integer:
      status = sqlite3_bind_int64(statement, index, value.get<std::int64_t>());
      break;
    case Json::value_t::number_unsigned: {
      const auto number = value.get<std::uint64_t>();
      if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw SqliteError(
            fmt::format("params: {} is {}, beyond SQLite's 64-bit integers", name, number));
      }
      status = sqlite3_bind_int64(statement, index, static_cast<std::int64_t>(number));
      break;
    }
    case Json::value_t::number_float:
      status = sqlite3_bind_double(statement, index, value.get<double>());
      break;
    case Json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      status = sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_STATIC,
                                   SQLITE_UTF8);
      break;
    }
    default: {
      // Arrays and objects go in as JSON text, for SQLite's json functions.
      const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
      status = sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8);
      break;
    }
  }
  if (status != SQLITE_OK) {
    throw connection.error({}, fmt::format("params: {}", name));
  }
}

void bind_all(SqliteConnection& connection, sqlite3_stmt* statement, const SqlParams& params) {
  const int count = sqlite3_bind_parameter_count(statement);
  if (params.names.empty()) {
    if (static_cast<std::size_t>(count) != params.values.size()) {
      throw SqliteError(fmt::format("params: the query takes {} parameter(s), params gives {}",
                                    count, params.values.size()));
    }
    for (int i = 0; i < count; ++i) {
      bind_value(connection, statement, i + 1, params.values[static_cast<std::size_t>(i)],
                 fmt::format("params[{}]", i));
    }
    return;
  }
  for (int i = 1; i <= count; ++i) {
    const char* marked = sqlite3_bind_parameter_name(statement, i);
    if (marked == nullptr) {
      throw SqliteError(fmt::format(
          "params: parameter {} of the query has no name (?), but params is an object", i));
    }
    const std::string_view name = std::string_view(marked).substr(1);  // :name, @name, $name
    const auto found = std::find(params.names.begin(), params.names.end(), name);
    if (found == params.names.end()) {
      throw SqliteError(fmt::format("params: the query's parameter '{}' has no value", marked));
    }
    bind_value(connection, statement, i,
               params.values[static_cast<std::size_t>(found - params.names.begin())],
               fmt::format("params.{}", name));
  }
}

Json column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(statement, column);
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(statement, column));
      return base64(bytes, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
    default:
      return nullptr;
  }
}

Json row_of(sqlite3_stmt* statement, const std::vector<std::string>& columns) {
  Json row = Json::object();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    row.emplace(columns[i], column_value(statement, static_cast<int>(i)));
  }
  return row;
}

Json changes_of(sqlite3* db, std::int64_t changes) {
  return {{"changes", changes}, {"last_insert_id", sqlite3_last_insert_rowid(db)}};
}

}  // namespace

Json run_query(SqliteConnection& connection, const std::string& sql, const SqlParams& params,
               SqlMode mode, std::size_t max_rows) {
  sqlite3* const db = connection.handle();
  const PreparedStatement& prepared = connection.prepare(sql);
  if (prepared.statement == nullptr) {
    if (mode != SqlMode::exec || !params.values.empty()) {
      throw SqliteError(
          "query: holds several statements, which only mode 'exec' without params runs");
    }
    const std::int64_t before = sqlite3_total_changes64(db);
    connection.run_script(sql);
    return changes_of(db, sqlite3_total_changes64(db) - before);
  }
  sqlite3_stmt* const statement = prepared.statement;
  const ResetOnExit reset{statement};
  bind_all(connection, statement, params);

  Json result = mode == SqlMode::rows ? Json::array() : Json();
  for (;;) {
    const int status = sqlite3_step(statement);
    if (status == SQLITE_DONE) {
      break;
    }
    if (status != SQLITE_ROW) {
      throw connection.error({}, "query");
    }
    if (mode == SqlMode::one) {
      return row_of(statement, prepared.columns);
    }
    if (mode == SqlMode::value) {
      return column_value(statement, 0);
    }
    if (mode == SqlMode::rows) {
      if (result.size() == max_rows) {
        throw SqliteError(fmt::format(
            "query: gives more than max_rows ({}) rows; narrow it, or raise max_rows", max_rows));
      }
      result.push_back(row_of(statement, prepared.columns));
    }
  }
  if (mode == SqlMode::exec) {
    return changes_of(db, sqlite3_changes64(db));
  }
  return result;
}

}  // namespace lg::detail
