#include "graph/graph_text.hpp"

#include "graph/graph_where.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

/// nlohmann's message without its prefix and its own line and column (we compute ours).
std::string parse_problem(const Json::parse_error& error) {
  const std::string_view what = error.what();
  const std::size_t at = what.find("parse error");
  if (at != std::string_view::npos) {
    if (const std::size_t colon = what.find(": ", at); colon != std::string_view::npos) {
      return std::string(what.substr(colon + 2));
    }
  }
  return std::string(what);
}

/// A second, DOM-free pass over the text that finds keys repeated in the root's `nodes` object.
/// (nlohmann's callback parser would do it in one pass, but it is quadratic in array length.)
class DuplicateNodeKeys : public nlohmann::json_sax<Json> {
 public:
  DuplicateNodeKeys(std::string_view source, std::vector<Diagnostic>& out)
      : source_(source), out_(out) {}

  bool null() override { return true; }
  bool boolean(bool /*value*/) override { return true; }
  bool number_integer(number_integer_t /*value*/) override { return true; }
  bool number_unsigned(number_unsigned_t /*value*/) override { return true; }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) override { return true; }
  bool string(string_t& /*value*/) override { return true; }
  bool binary(binary_t& /*value*/) override { return true; }
  bool start_object(std::size_t /*elements*/) override {
    in_nodes_ = depth_ == 1 && root_key_is_nodes_;
    ++depth_;
    return true;
  }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t /*elements*/) override {
    ++depth_;
    return true;
  }
  bool end_array() override { return leave(); }
  bool key(string_t& key) override {
    if (depth_ == 1) {
      root_key_is_nodes_ = key == "nodes";
    } else if (depth_ == 2 && in_nodes_) {
      ++entries_;
      if (const auto [first, inserted] = first_entry_.try_emplace(key, entries_); !inserted) {
        out_.push_back({std::string(source_) + ": " + keyed_node_place(key),
                        "duplicate id " + in_quotes(key) + ": entries " +
                            std::to_string(first->second) + " and " + std::to_string(entries_) +
                            " of the nodes object have this key (JSON keeps only the last)"});
      }
    }
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    return false;  // the text already parsed once; cannot happen
  }

 private:
  bool leave() {
    if (--depth_ == 1) {
      in_nodes_ = false;
    }
    return true;
  }

  std::string_view source_;
  std::vector<Diagnostic>& out_;
  std::size_t depth_ = 0;
  bool root_key_is_nodes_ = false;
  bool in_nodes_ = false;
  std::size_t entries_ = 0;
  std::unordered_map<std::string, std::size_t> first_entry_;
};

}  // namespace

bool nested_too_deep(const Json& json) {
  // Iterative: the point is to protect recursive code from deep input.
  std::vector<std::pair<const Json*, std::size_t>> pending{{&json, 1}};
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    if (!value->is_structured()) {
      continue;
    }
    if (depth > max_nesting) {
      return true;
    }
    for (const Json& child : *value) {
      pending.emplace_back(&child, depth + 1);
    }
  }
  return false;
}

Json parse_graph_text(std::string_view text, std::string_view source,
                      std::vector<Diagnostic>& out) {
  // Copying and destroying JSON recurses once per level: refuse depths that could exhaust the
  // stack before anything is built.
  if (const std::size_t at = too_deep_at(text, max_nesting); at != std::string_view::npos) {
    const TextPosition position = text_position(text, at);
    throw GraphError({{std::string(source) + ": line " + std::to_string(position.line) +
                           ", column " + std::to_string(position.column),
                       "JSON nested deeper than " + std::to_string(max_nesting) + " levels"}});
  }
  try {
    Json json = Json::parse(text);
    if (const auto nodes = json.find("nodes");
        json.is_object() && nodes != json.end() && nodes->is_object()) {
      DuplicateNodeKeys watch{source, out};
      Json::sax_parse(text, &watch);
    }
    return json;
  } catch (const Json::parse_error& error) {
    // nlohmann's byte counts the characters read, the offending one included.
    const std::size_t offset =
        std::min<std::size_t>(error.byte == 0 ? 0 : error.byte - 1, text.size());
    const TextPosition position = text_position(text, offset);
    throw GraphError(
        {{std::string(source) + ": line " + std::to_string(position.line) + ", column " +
              std::to_string(position.column),
          "invalid JSON (byte offset " + std::to_string(offset) + "): " + parse_problem(error)}});
  } catch (const Json::exception& error) {
    throw GraphError({{std::string(source), std::string("invalid JSON: ") + error.what()}});
  }
}

}  // namespace lg::detail
