#include "io/postgres/pg_values.hpp"

#include "io/base64.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

// Type OIDs, fixed in PostgreSQL's catalog (pg_type.dat).
enum : Oid {
  bool_oid = 16,
  bytea_oid = 17,
  char_oid = 18,
  name_oid = 19,
  int8_oid = 20,
  int2_oid = 21,
  int4_oid = 23,
  text_oid = 25,
  oid_oid = 26,
  json_oid = 114,
  json_array_oid = 199,
  float4_oid = 700,
  float8_oid = 701,
  bool_array_oid = 1000,
  bytea_array_oid = 1001,
  char_array_oid = 1002,
  name_array_oid = 1003,
  int2_array_oid = 1005,
  int4_array_oid = 1007,
  text_array_oid = 1009,
  bpchar_array_oid = 1014,
  varchar_array_oid = 1015,
  int8_array_oid = 1016,
  float4_array_oid = 1021,
  float8_array_oid = 1022,
  oid_array_oid = 1028,
  bpchar_oid = 1042,
  varchar_oid = 1043,
  date_oid = 1082,
  time_oid = 1083,
  timestamp_oid = 1114,
  timestamp_array_oid = 1115,
  date_array_oid = 1182,
  time_array_oid = 1183,
  timestamptz_oid = 1184,
  timestamptz_array_oid = 1185,
  interval_oid = 1186,
  interval_array_oid = 1187,
  numeric_array_oid = 1231,
  timetz_oid = 1266,
  timetz_array_oid = 1270,
  numeric_oid = 1700,
  uuid_oid = 2950,
  uuid_array_oid = 2951,
  jsonb_oid = 3802,
  jsonb_array_oid = 3807,
};

Json read_text(std::string_view text) {
  return std::string(text);
}

Json read_bool(std::string_view text) {
  return text == "t";
}

Json read_integer(std::string_view text) {
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::string(text);
  }
  return number;
}

Json read_float(std::string_view text) {
  double number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) {
    return std::string(text);  // NaN, Infinity, -Infinity: JSON has no such numbers
  }
  return number;
}

Json read_json(std::string_view text) {
  Json value = Json::parse(text, nullptr, false);
  if (value.is_discarded()) {
    return std::string(text);
  }
  return value;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// bytea's hex format (`\x00ff10`) as base64.
Json read_bytea(std::string_view text) {
  if (!text.starts_with("\\x") || text.size() % 2 != 0) {
    return std::string(text);
  }
  std::string bytes;
  bytes.reserve(text.size() / 2 - 1);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    const int high = hex_digit(text[i]);
    const int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) {
      return std::string(text);
    }
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return base64(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// A zone offset as ISO-8601 writes it: `+01` becomes `+01:00` (`+05:30` stays).
void complete_offset(std::string& text, std::size_t from) {
  const std::size_t sign = text.find_first_of("+-", from);
  if (sign != std::string::npos && text.size() - sign == 3) {
    text += ":00";
  }
}

// The server's ISO style (`2024-01-02 03:04:05.5+01`, `0044-03-15 BC`) as ISO-8601
// (`2024-01-02T03:04:05.5+01:00`, `-0043-03-15`: year 0 is 1 BC). `infinity` stays.
Json read_datetime(std::string_view view) {
  std::string text(view);
  if (text == "infinity" || text == "-infinity") {
    return text;
  }
  const bool before_christ = text.ends_with(" BC");
  if (before_christ) {
    text.resize(text.size() - 3);
  }
  const std::size_t space = text.find(' ');
  if (space != std::string::npos) {
    text[space] = 'T';
    complete_offset(text, space);
  }
  if (before_christ) {
    const std::size_t dash = text.find('-');
    long year = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + dash, year);
    if (error != std::errc() || end != text.data() + dash) {
      return std::string(view);
    }
    const long iso_year = 1 - year;
    char digits[24];
    const auto written =
        std::to_chars(digits, digits + sizeof digits, iso_year < 0 ? -iso_year : iso_year);
    std::string year_text(digits, written.ptr);
    year_text.insert(0, year_text.size() < 4 ? 4 - year_text.size() : 0, '0');
    text.replace(0, dash, (iso_year < 0 ? "-" : "") + year_text);
  }
  return text;
}

Json read_timetz(std::string_view view) {
  std::string text(view);
  complete_offset(text, 0);
  return text;
}

bool equals_null(std::string_view token) {
  return token.size() == 4 && std::equal(token.begin(), token.end(), "NULL", [](char a, char b) {
           return (a & ~0x20) == b;  // case-insensitive, as the server reads it
         });
}

// An array's text (`{1,2,NULL}`, `{{"a b","c\"d"},{x,y}}`, `[0:1]={1,2}`) as nested JSON
// arrays, each element read by `element`.
class ArrayText {
 public:
  ArrayText(std::string_view text, PgReader element) : text_(text), element_(element) {}

  bool read(Json& out) {
    if (!text_.empty() && text_.front() == '[') {
      at_ = text_.find('=');  // bounds other than 1: the elements alone
      if (at_ == std::string_view::npos) {
        return false;
      }
      ++at_;
    }
    return read_level(out, 0) && at_ == text_.size();
  }

 private:
  static constexpr int max_depth = 6;  // the server's MAXDIM

  bool read_level(Json& out, int depth) {
    if (depth > max_depth || at_ >= text_.size() || text_[at_] != '{') {
      return false;
    }
    ++at_;
    out = Json::array();
    if (at_ < text_.size() && text_[at_] == '}') {
      ++at_;
      return true;
    }
    for (;;) {
      if (at_ >= text_.size()) {
        return false;
      }
      Json item;
      if (text_[at_] == '{') {
        if (!read_level(item, depth + 1)) {
          return false;
        }
      } else if (text_[at_] == '"') {
        std::string unquoted;
        for (++at_; at_ < text_.size() && text_[at_] != '"'; ++at_) {
          if (text_[at_] == '\\' && at_ + 1 < text_.size()) {
            ++at_;
          }
          unquoted.push_back(text_[at_]);
        }
        if (at_++ >= text_.size()) {
          return false;
        }
        item = element_(unquoted);
      } else {
        const std::size_t end = std::min(text_.find_first_of(",}", at_), text_.size());
        const std::string_view token = text_.substr(at_, end - at_);
        item = equals_null(token) ? Json() : element_(token);
        at_ = end;
      }
      out.push_back(std::move(item));
      if (at_ >= text_.size()) {
        return false;
      }
      if (text_[at_++] == '}') {
        return true;
      }
    }
  }

  std::string_view text_;
  PgReader element_;
  std::size_t at_ = 0;
};

template <PgReader element>
Json read_array(std::string_view text) {
  Json out;
  if (ArrayText(text, element).read(out)) {
    return out;
  }
  return std::string(text);
}

std::size_t significant_digits(std::string_view whole, std::string_view fraction) {
  std::string digits(whole);
  digits += fraction;
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    return 0;
  }
  const std::size_t last = digits.find_last_not_of('0');
  return last - first + 1;
}

}  // namespace

Json read_numeric(std::string_view text) {
  std::string_view digits = text;
  if (digits.starts_with('-') || digits.starts_with('+')) {
    digits.remove_prefix(1);
  }
  if (digits.empty() || digits.find_first_not_of("0123456789.") != std::string_view::npos) {
    return std::string(text);  // NaN, Infinity, -Infinity
  }
  const std::size_t point = digits.find('.');
  const std::string_view whole = digits.substr(0, point);
  std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : digits.substr(point + 1);
  while (!fraction.empty() && fraction.back() == '0') {
    fraction.remove_suffix(1);
  }
  if (fraction.empty()) {
    const std::string_view integer_text = text.substr(0, text.find('.'));
    std::int64_t integer = 0;
    const char* const end = integer_text.data() + integer_text.size();
    const auto [stop, error] = std::from_chars(integer_text.data(), end, integer);
    if (error == std::errc() && stop == end) {
      return integer;
    }
  }
  if (significant_digits(whole, fraction) <= 15) {
    return read_float(text);
  }
  return std::string(text);
}

PgReader reader_for(Oid type) noexcept {
  switch (type) {
    case bool_oid:
      return read_bool;
    case int2_oid:
    case int4_oid:
    case int8_oid:
    case oid_oid:
      return read_integer;
    case float4_oid:
    case float8_oid:
      return read_float;
    case numeric_oid:
      return read_numeric;
    case json_oid:
    case jsonb_oid:
      return read_json;
    case bytea_oid:
      return read_bytea;
    case date_oid:
    case timestamp_oid:
    case timestamptz_oid:
      return read_datetime;
    case time_oid:
    case timetz_oid:
      return read_timetz;
    case bool_array_oid:
      return read_array<read_bool>;
    case int2_array_oid:
    case int4_array_oid:
    case int8_array_oid:
    case oid_array_oid:
      return read_array<read_integer>;
    case float4_array_oid:
    case float8_array_oid:
      return read_array<read_float>;
    case numeric_array_oid:
      return read_array<read_numeric>;
    case json_array_oid:
    case jsonb_array_oid:
      return read_array<read_json>;
    case bytea_array_oid:
      return read_array<read_bytea>;
    case date_array_oid:
    case timestamp_array_oid:
    case timestamptz_array_oid:
      return read_array<read_datetime>;
    case time_array_oid:
    case timetz_array_oid:
      return read_array<read_timetz>;
    case text_array_oid:
    case varchar_array_oid:
    case bpchar_array_oid:
    case name_array_oid:
    case char_array_oid:
    case uuid_array_oid:
    case interval_array_oid:
      return read_array<read_text>;
    default:
      return read_text;  // text, varchar, char, name, uuid, interval and every other type
  }
}

std::vector<PgColumn> columns_of(const PGresult* result) {
  const int count = PQnfields(result);
  std::vector<PgColumn> columns;
  columns.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    columns.push_back({PQfname(result, i), reader_for(PQftype(result, i))});
  }
  return columns;
}

Json value_of(const PGresult* result, int row, int column, const std::vector<PgColumn>& columns) {
  if (PQgetisnull(result, row, column) != 0) {
    return nullptr;
  }
  const std::string_view text(PQgetvalue(result, row, column),
                              static_cast<std::size_t>(PQgetlength(result, row, column)));
  return columns[static_cast<std::size_t>(column)].read(text);
}

Json row_of(const PGresult* result, int row, const std::vector<PgColumn>& columns) {
  Json object = Json::object();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    object.emplace(columns[i].name, value_of(result, row, static_cast<int>(i), columns));
  }
  return object;
}

}  // namespace lg::detail
