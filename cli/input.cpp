#include "input.hpp"

#include "errors.hpp"

#include <logic_graph/engine/expr/zen_expression.hpp>
#include <logic_graph/engine/graph/json_text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>

namespace lg::cli {
namespace {

using Json = nlohmann::json;

std::string read_stream(std::istream& in, const std::string& name, std::uintmax_t size_hint) {
  std::string text;
  text.reserve(static_cast<std::size_t>(std::min(size_hint, max_file_bytes)));
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) {
      throw InputError(fmt::format("{}: larger than the limit of {} bytes", name, max_file_bytes));
    }
  }
  if (in.bad()) {
    throw InputError(fmt::format("{}: reading failed", name));
  }
  return text;
}

// nlohmann's message without its "[json.exception.parse_error.101] " tag.
std::string parse_problem(const Json::parse_error& error) {
  const std::string_view what = error.what();
  const std::size_t tag_end = what.find("] ");
  return std::string(tag_end == std::string_view::npos ? what : what.substr(tag_end + 2));
}

}  // namespace

std::string read_file(const std::string& path) {
  if (path == "-") {
    return read_stream(std::cin, "<stdin>", 0);
  }
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error) {
    throw InputError(fmt::format("{}: cannot read: {}", path, error.message()));
  }
  if (std::filesystem::is_directory(status)) {
    throw InputError(fmt::format("{}: cannot read: it is a directory", path));
  }
  std::uintmax_t size = 0;
  if (std::filesystem::is_regular_file(status)) {
    // Refuse a huge file before reading any of it.
    size = std::filesystem::file_size(path, error);
    if (error) {
      size = 0;
    } else if (size > max_file_bytes) {
      throw InputError(fmt::format("{}: {} bytes, larger than the limit of {} bytes", path, size,
                                   max_file_bytes));
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(fmt::format("{}: cannot open", path));
  }
  return read_stream(in, path, size);
}

void check_nesting(std::string_view text, std::string_view source) {
  // The engine's scanner, with the CLI's own limit (graphs get their tighter one on parsing).
  const std::size_t at = too_deep_at(text, max_json_depth);
  if (at != std::string_view::npos) {
    const TextPosition position = text_position(text, at);
    throw InputError(
        fmt::format("{}: line {}, column {}: arrays and objects nested deeper than {} levels",
                    source, position.line, position.column, max_json_depth));
  }
}

std::string display_name(const std::string& path) {
  return path == "-" ? std::string("<stdin>") : path;
}

GraphDef load_graph(const std::string& path) {
  const std::string text = read_file(path);
  const std::string source = display_name(path);
  const GraphFormat format = path == "-" ? GraphFormat::json : graph_format_of(path);
  if (format == GraphFormat::json) {
    check_nesting(text, source);  // the YAML reader limits nesting as it parses
  }
  return GraphDef::parse(text, source, format);
}

Json parse_input(const std::string& argument) {
  const bool from_file = argument.starts_with('@');
  const std::string source = !from_file         ? std::string("--input")
                             : argument == "@-" ? std::string("<stdin>")
                                                : argument.substr(1);
  const std::string text = from_file ? read_file(argument.substr(1)) : argument;
  check_nesting(text, source);
  Json input;
  try {
    input = Json::parse(text);
  } catch (const Json::parse_error& error) {
    throw InputError(fmt::format("{}: invalid JSON: {}", source, parse_problem(error)));
  }
  if (!input.is_object()) {
    throw InputError(
        fmt::format("{}: the input must be a JSON object, found {}", source, input.type_name()));
  }
  return input;
}

void pin_now_option(const std::optional<std::string>& now) {
  if (!now) {
    return;
  }
  const auto instant = zen::parse_instant(*now);
  if (!instant) {
    throw InputError(
        fmt::format("--now: '{}' is not an ISO-8601 instant such as 2024-01-31T10:00:00Z", *now));
  }
  zen::pin_now(*instant);
}

}  // namespace lg::cli
