#include "command.hpp"
#include "errors.hpp"
#include "input.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace lg::cli {
namespace {

using Json = nlohmann::json;

struct DotOptions {
  std::string graph;
};

// A label line longer than this is cut, so that one long expression cannot stretch the picture.
constexpr std::size_t max_line_chars = 80;
// Config lines shown per node; the rest is summarised.
constexpr std::size_t max_config_lines = 6;
// Fill colours, one per node type in order of first appearance.
constexpr std::array<std::string_view, 6> palette = {"#dbe9f6", "#e3f1dc", "#fdf0d5",
                                                     "#f3dff0", "#e0f2f1", "#eeeeee"};

// Cuts after max_line_chars characters (not bytes: never inside a UTF-8 sequence).
std::string shorten(std::string_view text) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80 && ++chars > max_line_chars) {
      std::string cut(text.substr(0, i));
      cut += "...";
      return cut;
    }
  }
  return std::string(text);
}

// A DOT double-quoted string. Graphviz reads \" as a quote and \\ as a backslash; a line break
// is written \n. Other control bytes have no business in a label.
std::string dot_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string value_text(const Json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The node's key config, one line per setting: `field: value`, or `key = expression` for each
// entry of an object field (compute's `set`). Generic, so that new node types need nothing here.
std::string config_lines(const Json& config) {
  std::string lines;
  std::size_t count = 0;
  std::size_t hidden = 0;
  const auto add = [&](const std::string& line) {
    if (count++ < max_config_lines) {
      lines += '\n';
      lines += shorten(line);
    } else {
      ++hidden;
    }
  };
  for (const auto& [field, value] : config.items()) {
    if (value.is_object()) {
      for (const auto& [key, entry] : value.items()) {
        add(fmt::format("{} = {}", key, value_text(entry)));
      }
    } else if (!value.is_null()) {
      add(fmt::format("{}: {}", field, value_text(value)));
    }
  }
  if (hidden != 0) {
    lines += fmt::format("\n(+{} more)", hidden);
  }
  return lines;
}

std::string to_dot(const GraphDef& graph) {
  std::string out =
      fmt::format("digraph {} {{\n", dot_string(graph.name.empty() ? "graph" : graph.name));
  out +=
      "  rankdir=TB;\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=10, color=\"#555555\"];\n";
  std::map<std::string, std::string_view, std::less<>> colours;
  for (const NodeDef& node : graph.nodes) {
    const auto colour =
        colours.try_emplace(node.type, palette[colours.size() % palette.size()]).first->second;
    const std::string label =
        fmt::format("{}\n[{}]{}", shorten(node.id), shorten(node.type), config_lines(node.config));
    out += fmt::format("  {} [label={}, fillcolor=\"{}\"];\n", dot_string(node.id),
                       dot_string(label), colour);
  }
  for (const EdgeDef& edge : graph.edges) {
    std::string attributes;
    if (edge.when) {
      // Conditional edges are dashed, with the condition on them.
      std::string text = fmt::format("when {}", shorten(*edge.when));
      if (edge.label) {
        text = fmt::format("{}\n{}", shorten(*edge.label), text);
      }
      attributes = fmt::format(" [label={}, style=dashed]", dot_string(text));
    } else if (edge.label) {
      attributes = fmt::format(" [label={}]", dot_string(shorten(*edge.label)));
    }
    out += fmt::format("  {} -> {}{};\n", dot_string(edge.from), dot_string(edge.to), attributes);
  }
  out += "}\n";
  return out;
}

int dot(const DotOptions& options) {
  try {
    write_stdout(to_dot(load_graph(options.graph)));
    flush_stdout();
    return exit_ok;
  } catch (...) {
    return report_exception(std::current_exception());
  }
}

}  // namespace

Command add_dot_command(CLI::App& parent) {
  auto options = std::make_shared<DotOptions>();
  CLI::App* app = parent.add_subcommand("dot", "Print a graph as Graphviz DOT");
  app->footer(
      "Each box shows the node id, its type and its key config; conditional edges are dashed\n"
      "and carry their condition. Exit code 0, or 2 for an invalid graph or arguments.\n"
      "Render it with: lgraph dot GRAPH.json | dot -Tpng -o graph.png");
  app->add_option("graph", options->graph,
                  "Graph file (JSON, or YAML when named .yaml or .yml; - reads JSON from stdin)")
      ->required()
      ->type_name("FILE");
  return {app, [options] { return dot(*options); }};
}

}  // namespace lg::cli
