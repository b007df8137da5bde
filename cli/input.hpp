#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lg::cli {

/// The largest file read, graph or input: more is refused with a clear error rather than
/// exhausting memory (the parsed form takes several times the text).
inline constexpr std::uintmax_t max_file_bytes = std::uintmax_t{1} << 30;

/// The deepest nesting of arrays and objects accepted. nlohmann parses any depth, but copying,
/// comparing and printing a value recurse once per level, so a deeper document could overflow
/// the stack later on; no real graph or input comes near this.
inline constexpr std::size_t max_json_depth = 1000;

/// The whole of `path` (`-`: standard input). Throws InputError naming the file when it is
/// missing, a directory, unreadable or larger than max_file_bytes.
[[nodiscard]] std::string read_file(const std::string& path);

/// Throws InputError naming `source`, line and column when `text` nests arrays and objects
/// deeper than max_json_depth. A linear scan that needs no valid JSON: the parser reports
/// syntax errors afterwards.
void check_nesting(std::string_view text, std::string_view source);

/// How messages name the file at `path`: `<stdin>` for `-`, else the path as given.
[[nodiscard]] std::string display_name(const std::string& path);

/// Reads and checks a graph file, YAML when named `.yaml` or `.yml`, else JSON (stdin: JSON).
/// Throws InputError (unreadable, too deep) or GraphError (invalid text, invalid structure),
/// both naming the file.
[[nodiscard]] GraphDef load_graph(const std::string& path);

/// The value of `--input`: JSON text, or `@FILE` (`@-`: standard input) holding it. It must be
/// an object. Throws InputError naming `--input` or the file, with line and column.
[[nodiscard]] nlohmann::json parse_input(const std::string& argument);

/// `--now INSTANT`: pins what ZEN's expressions take as now (InputError for a bad instant);
/// nothing without it.
void pin_now_option(const std::optional<std::string>& now);

}  // namespace lg::cli
