#include "graph/rust_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace lg::detail {

using Json = nlohmann::json;

FieldReports::FieldReports(const GraphDef& graph, const GraphLocations& where,
                           std::vector<Diagnostic>& out)
    : out_(out) {
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    places_.try_emplace(graph.nodes[i].id, where.at(where.node_place(graph, i)));
  }
}

void FieldReports::add(std::string_view node_id, std::string_view field,
                       std::string message) const {
  const auto place = places_.find(node_id);
  out_.push_back({fmt::format("{}: field '{}'",
                              place != places_.end() ? place->second : in_quotes(node_id), field),
                  std::move(message)});
}

bool is_name(std::string_view text) {
  const auto letter = [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  };
  return !text.empty() && letter(text[0]) &&
         std::all_of(
             text.begin(), text.end(),
             [&](char c) { return letter(c) || std::isdigit(static_cast<unsigned char>(c)); }) &&
         text != "true" && text != "false" && text != "null" && text != "in";
}

std::optional<std::string> key_path_expression(std::string_view dotted) {
  std::string expression;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = std::min(dotted.find('.', start), dotted.size());
    const std::string_view part = dotted.substr(start, dot - start);
    if (part.empty() || (start == 0 && !is_name(part))) {
      return std::nullopt;
    }
    if (is_name(part)) {
      expression += start == 0 ? "" : ".";
      expression += part;
    } else {
      expression += "[\"";
      for (const char c : part) {
        if (c == '\\' || c == '"') {
          expression += '\\';
        } else if (static_cast<unsigned char>(c) < 0x20) {
          return std::nullopt;  // no escape for it in an expression's string
        }
        expression += c;
      }
      expression += "\"]";
    }
    if (dot == dotted.size()) {
      return expression;
    }
    start = dot + 1;
  }
}

std::optional<std::string> take_id_field(NodeDef& node, std::string_view field,
                                         const FieldReports& reports) {
  const auto found = node.config.find(field);
  if (found == node.config.end()) {
    return std::nullopt;
  }
  std::optional<std::string> id;
  if (found->is_string() && !found->get_ref<const std::string&>().empty()) {
    id = found->get<std::string>();
  } else {
    reports.add(node.id, field, fmt::format("must be a node id, found {}", found->dump()));
  }
  node.config.erase(found);
  return id;
}

std::optional<std::int64_t> count_field(const NodeDef& node, std::string_view field,
                                        std::int64_t max, const FieldReports& reports) {
  const auto found = node.config.find(field);
  if (found == node.config.end()) {
    return std::nullopt;
  }
  if (!found->is_number_integer() || found->get<std::int64_t>() < 0 ||
      found->get<std::int64_t>() > max) {
    reports.add(node.id, field,
                fmt::format("must be an integer from 0 to {}, found {}", max, found->dump()));
    return std::nullopt;
  }
  return found->get<std::int64_t>();
}

void rename_field(NodeDef& node, std::string_view from, std::string_view to,
                  const std::optional<Json>& fallback, const FieldReports& reports) {
  const auto found = node.config.find(from);
  if (found == node.config.end()) {
    if (fallback && !node.config.contains(to)) {
      node.config[std::string(to)] = *fallback;
    }
    return;
  }
  if (node.config.contains(to)) {
    reports.add(node.id, from, fmt::format("give one of '{}' and '{}'", from, to));
    return;
  }
  Json value = std::move(*found);
  node.config.erase(from);
  node.config[std::string(to)] = std::move(value);
}

void reverse_mapping(NodeDef& node, std::string_view from, std::string_view to,
                     const FieldReports& reports) {
  const auto found = node.config.find(from);
  if (found == node.config.end()) {
    return;
  }
  Json reversed = Json::object();
  bool ok = found->is_object();
  for (auto it = found->begin(); ok && it != found->end(); ++it) {
    ok = it->is_string() && !reversed.contains(it->get_ref<const std::string&>());
    if (ok) {
      reversed[it->get<std::string>()] = it.key();
    }
  }
  if (!ok) {
    reports.add(node.id, from, "must map keys to distinct keys (strings)");
  } else if (node.config.contains(to)) {
    reports.add(node.id, from, fmt::format("give one of '{}' and '{}'", from, to));
  } else {
    node.config[std::string(to)] = std::move(reversed);
  }
  node.config.erase(from);
}

}  // namespace lg::detail
