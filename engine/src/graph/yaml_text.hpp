#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// YAML text read into the same JSON model as a JSON graph (Debian's yaml-cpp parses it; its
// events build the JSON here, so that the limits hold while parsing, not after).
namespace lg::detail {

/// What aliases may copy in all, in approximate bytes (each value counts 32, a string or key
/// its length too), anchored values' own copies included: a "billion laughs" document is refused
/// when it passes this, long before it could exhaust memory.
inline constexpr std::size_t max_yaml_alias_bytes = std::size_t{16} << 20;

/// The lines (1-based) of the entries of the document's top-level collections: for each
/// top-level key whose value is a sequence or a mapping, the line of each item or of each key.
/// A graph's `nodes` and `edges` are named by these lines in messages.
struct YamlLines {
  /// The entries of one top-level collection.
  struct Entries {
    /// Sequence: the line of item i.
    std::vector<std::size_t> items;
    /// Mapping: the line of each key.
    std::map<std::string, std::size_t, std::less<>> keys;
  };
  /// By top-level key.
  std::map<std::string, Entries, std::less<>> top;
};

/// Parses the YAML text of a graph into JSON: scalars typed as YAML 1.2's core schema types them
/// (quoted ones stay strings), mappings as objects (keys as their text), sequences as arrays,
/// aliases as copies of their anchor's value. Throws GraphError naming `source`, line and column
/// for invalid YAML, a text that is not UTF-8, more than one document, a duplicate key (every
/// one), a key that is a collection, a tag other than YAML's core ones, a number out of range,
/// nesting deeper than max_nesting, a recursive alias or aliases copying more than
/// max_yaml_alias_bytes. An empty document is null. Fills `lines` when given.
nlohmann::json parse_yaml_text(std::string_view text, std::string_view source,
                               YamlLines* lines = nullptr);

}  // namespace lg::detail
