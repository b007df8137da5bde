#include "graph/rust_data_nodes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

// The database of a DBNode that names none: the crate's Postgres example (examples/
// postgres_flow.rs) reads its URL from DATABASE_URL.
constexpr std::string_view default_connection = "env:DATABASE_URL";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trimmed(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// An environment variable's name: letters, digits and '_', not starting with a digit.
bool is_variable(std::string_view text) {
  return !text.empty() && !std::isdigit(static_cast<unsigned char>(text[0])) &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

// A string field taken out of the config; nothing when absent or null, or (after reporting)
// when it is not a string.
std::optional<std::string> take_string(NodeDef& node, std::string_view field,
                                       const FieldReports& reports) {
  const auto found = node.config.find(field);
  if (found == node.config.end()) {
    return std::nullopt;
  }
  std::optional<std::string> text;
  if (found->is_string()) {
    text = found->get<std::string>();
  } else if (!found->is_null()) {
    reports.add(node.id, field, fmt::format("must be a string, found {}", found->dump()));
  }
  node.config.erase(found);
  return text;
}

// The native node and field for a DBNode's database or connection string.
struct Database {
  std::string type;   // `sqlite` or `postgres`
  std::string field;  // `database` or `connection`
  std::string value;
};

bool sqlite_file(std::string_view text) {
  const std::string name = lower(text);
  return name == ":memory:" || name.starts_with("file:") || name.ends_with(".db") ||
         name.ends_with(".sqlite") || name.ends_with(".sqlite3") || name.ends_with(".db3");
}

// What `text` (a `database`, `connection` or `connection_string`) names; nothing, with the
// reason in `problem`, for what no node here connects to.
std::optional<Database> database_of(std::string_view text, std::string& problem) {
  const std::string name = lower(text);
  if (name.starts_with("postgres://") || name.starts_with("postgresql://")) {
    return Database{"postgres", "connection", std::string(text)};
  }
  if (name == "sqlite::memory:") {
    return Database{"sqlite", "database", ":memory:"};
  }
  if (name.starts_with("sqlite:")) {  // sqlx's sqlite://data.db, sqlite:data.db
    std::string_view file = text.substr(name.starts_with("sqlite://") ? 9 : 7);
    if (!file.empty()) {
      const bool options = file.find('?') != std::string_view::npos;
      return Database{"sqlite", "database",
                      options ? fmt::format("file:{}", file) : std::string(file)};
    }
  } else if (sqlite_file(text)) {
    return Database{"sqlite", "database", std::string(text)};
  } else if (text.starts_with("{{") && text.ends_with("}}") &&
             is_variable(trimmed(text.substr(2, text.size() - 4)))) {
    // The distributed example's "{{POSTGRES_URL}}": a URL kept out of the file.
    return Database{"postgres", "connection",
                    fmt::format("env:{}", trimmed(text.substr(2, text.size() - 4)))};
  } else if (name.starts_with("mysql:") || name.starts_with("mariadb:")) {
    problem = "MySQL has no node here: give a PostgreSQL URL or an SQLite file";
    return std::nullopt;
  } else if (is_variable(text)) {
    // A database by name, as in the case studies (`oms_db`), whose URL the environment holds.
    std::string variable = fmt::format("{}_URL", text);
    std::transform(variable.begin(), variable.end(), variable.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return Database{"postgres", "connection", fmt::format("env:{}", variable)};
  }
  problem = fmt::format(
      "'{}' names no database here: give a postgres:// URL, an SQLite file (.db, .sqlite), "
      "':memory:', a 'sqlite:' URL or a database name (its URL in NAME_URL)",
      text);
  return std::nullopt;
}

// True when `query` numbers its parameters as PostgreSQL does ($1, $2...).
bool numbers_dollars(std::string_view query) {
  for (std::size_t at = query.find('$'); at != std::string_view::npos;
       at = query.find('$', at + 1)) {
    if (at + 1 < query.size() && std::isdigit(static_cast<unsigned char>(query[at + 1]))) {
      return true;
    }
  }
  return false;
}

// A DBNode's params, context keys (or `{{ expression }}`), as expressions; `numbered`: as an
// object of "1", "2"... for SQLite's $1, $2 (which it reads as names), else an array.
std::optional<Json> params_of(NodeDef& node, bool numbered, const FieldReports& reports) {
  const auto found = node.config.find("params");
  if (found == node.config.end()) {
    return std::nullopt;
  }
  const Json list = std::move(*found);
  node.config.erase(found);
  if (list.is_null()) {
    return std::nullopt;
  }
  if (!list.is_array()) {
    reports.add(node.id, "params", "must be a list of context keys, found " + list.dump());
    return std::nullopt;
  }
  Json params = numbered ? Json::object() : Json::array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::optional<std::string> expression;
    if (list[i].is_string()) {
      const std::string_view text = list[i].get_ref<const std::string&>();
      const bool braced = text.starts_with("{{") && text.ends_with("}}") && text.size() >= 4;
      expression = braced ? std::string(trimmed(text.substr(2, text.size() - 4)))
                          : key_path_expression(text);
    }
    if (!expression || expression->empty()) {
      reports.add(node.id, fmt::format("params[{}]", i),
                  fmt::format("must be a context key (or a dotted path, or '{{{{ expression "
                              "}}}}'), found {}",
                              list[i].dump()));
    } else if (numbered) {
      params[std::to_string(i + 1)] = std::move(*expression);
    } else {
      params.push_back(std::move(*expression));
    }
  }
  return params;
}

// The crate's prompts replace `{{key}}` by the context's value of `key`; the native template
// reads `{{ expression }}`, so a placeholder holding a key (or a dotted path) means the same.
// The reason when one does not.
std::optional<std::string> placeholder_problem(std::string_view text) {
  for (std::size_t open = text.find("{{"); open != std::string_view::npos;) {
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return fmt::format("'{{{{' at character {} has no closing '}}}}'", open + 1);
    }
    const std::string_view inner = trimmed(text.substr(open + 2, close - open - 2));
    bool key = !inner.empty();
    for (std::size_t start = 0; key && start <= inner.size();) {
      const std::size_t dot = std::min(inner.find('.', start), inner.size());
      key = is_name(inner.substr(start, dot - start));
      start = dot + 1;
    }
    if (!key) {
      return fmt::format("the placeholder '{}' does not name a context key",
                         text.substr(open, close + 2 - open));
    }
    open = text.find("{{", close + 2);
  }
  return std::nullopt;
}

}  // namespace

void translate_rule(NodeDef& node, const FieldReports& reports) {
  if (node.config.contains("rule_content")) {
    reports.add(node.id, "rule_content",
                "GRL rules (rust-rule-engine's language) have no equivalent here: give "
                "'condition' (an expression) and 'then' (key -> expression)");
    node.config.erase("rule_content");
  }
  if (!node.config.contains("condition")) {
    node.config["condition"] = "true";  // the crate's RuleNode passes by default
  }
  const auto then_found = node.config.find("then");
  Json then = then_found != node.config.end() ? *then_found : Json::object();
  bool changed = false;
  for (const char* field : {"inputs", "field_mappings"}) {
    const auto found = node.config.find(field);
    if (found == node.config.end()) {
      continue;
    }
    const Json mappings = std::move(*found);
    node.config.erase(field);
    if (mappings.is_null()) {
      continue;
    }
    if (!mappings.is_object() || !then.is_object()) {
      reports.add(node.id, field,
                  mappings.is_object() ? "'then' is not an object to add these to"
                                       : "must map names to context paths (strings)");
      continue;
    }
    for (auto it = mappings.begin(); it != mappings.end(); ++it) {
      const std::string place = fmt::format("{}.{}", field, it.key());
      const std::optional<std::string> path =
          it->is_string() ? key_path_expression(it->get_ref<const std::string&>()) : std::nullopt;
      if (!path) {
        reports.add(node.id, place,
                    "must be a context path such as \"node.field\", found " + it->dump());
      } else if (then.contains(it.key())) {
        reports.add(
            node.id, place,
            fmt::format("'{}' is set twice ('inputs', 'field_mappings', 'then')", it.key()));
      } else {
        then[it.key()] = *path;
        changed = true;
      }
    }
  }
  if (changed) {
    node.config["then"] = std::move(then);
  }
}

void translate_db(NodeDef& node, const FieldReports& reports) {
  const std::optional<std::string> query = take_string(node, "query", reports);
  const std::optional<std::string> database = take_string(node, "database", reports);
  const std::optional<std::string> connection = take_string(node, "connection", reports);
  const std::optional<std::string> connection_string =
      take_string(node, "connection_string", reports);
  const std::optional<std::string> db_type = take_string(node, "db_type", reports);
  if (connection && connection_string) {
    reports.add(node.id, "connection_string", "give one of 'connection' and 'connection_string'");
  }
  // As the case study reads it: a connection string wins over a database name.
  const std::optional<std::string>& named =
      connection ? connection : (connection_string ? connection_string : database);
  const char* named_field =
      connection ? "connection" : (connection_string ? "connection_string" : "database");
  Database target{"postgres", "connection", std::string(default_connection)};
  if (named) {
    std::string problem;
    std::optional<Database> found = database_of(*named, problem);
    if (!found) {
      reports.add(node.id, named_field, std::move(problem));
      return;
    }
    target = std::move(*found);
  }
  if (db_type) {
    const std::string kind = lower(*db_type);
    const std::string type = kind == "postgres" || kind == "postgresql" ? "postgres"
                             : kind == "sqlite" || kind == "sqlite3"    ? "sqlite"
                                                                        : "";
    if (type.empty()) {
      reports.add(
          node.id, "db_type",
          fmt::format("must be Postgres or SQLite (the node types here), found '{}'", *db_type));
    } else if (type != target.type) {
      reports.add(
          node.id, "db_type",
          named ? fmt::format("says {} but '{}' is a {} database", *db_type, *named, target.type)
                : "SQLite needs 'database' (a file, ':memory:' or a 'sqlite:' URL)");
    }
  }
  node.type = target.type;
  node.config[target.field] = std::move(target.value);
  const std::string sql = query.value_or(fmt::format("SELECT * FROM {}", node.id));
  if (std::optional<Json> params =
          params_of(node, node.type == "sqlite" && numbers_dollars(sql), reports);
      params && !params->empty()) {
    node.config["params"] = std::move(*params);
  }
  node.config["query"] = sql;
}

void translate_ai(NodeDef& node, const FieldReports& reports) {
  node.type = "llm";
  const std::optional<std::string> prompt = take_string(node, "prompt", reports);
  const std::optional<std::string> user_prompt = take_string(node, "user_prompt", reports);
  if (prompt && user_prompt) {
    reports.add(node.id, "user_prompt", "give one of 'prompt' and 'user_prompt'");
  }
  const std::string text =
      prompt.value_or(user_prompt.value_or(fmt::format("Process data for {}", node.id)));
  if (const auto problem = placeholder_problem(text)) {
    reports.add(node.id, prompt ? "prompt" : "user_prompt", *problem);
  }
  node.config["prompt"] = text;
  if (const std::optional<std::string> system = take_string(node, "system_prompt", reports)) {
    if (const auto problem = placeholder_problem(*system)) {
      reports.add(node.id, "system_prompt", *problem);
    } else if (node.config.contains("system")) {
      reports.add(node.id, "system_prompt", "give one of 'system_prompt' and 'system'");
    } else {
      node.config["system"] = *system;
    }
  }
  if (const std::optional<std::string> provider = take_string(node, "provider", reports)) {
    // The crate's OpenAINode posts to OpenAI with OPENAI_API_KEY; Ollama has an OpenAI API too.
    const std::string name = lower(*provider);
    if (name == "openai") {
      node.config.emplace("endpoint", "https://api.openai.com/v1");
      node.config.emplace("api_key_env", "OPENAI_API_KEY");
    } else if (name == "ollama") {
      node.config.emplace("endpoint", "http://localhost:11434/v1");
    } else {
      reports.add(
          node.id, "provider",
          fmt::format("must be OpenAI or Ollama (an OpenAI chat API), found '{}'", *provider));
    }
  }
}

}  // namespace lg::detail
