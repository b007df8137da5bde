#include "decisions/decision_table.hpp"

#include <logic_graph/engine/node/node_registry.hpp>

#include <stdexcept>
#include <utility>

namespace lg::detail {
namespace {

std::vector<std::string> split_path(const std::string& output, std::size_t j) {
  std::vector<std::string> path;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = output.find('.', start);
    path.push_back(output.substr(start, dot - start));
    if (path.back().empty()) {
      throw ConfigError("outputs[" + std::to_string(j) + "]",
                        "'" + output + "' has an empty part (write keys such as 'a' or 'a.b')");
    }
    if (dot == std::string::npos) {
      return path;
    }
    start = dot + 1;
  }
}

bool starts_with(const std::vector<std::string>& path, const std::vector<std::string>& prefix) {
  return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

void set_path(nlohmann::json& object, const std::vector<std::string>& path, nlohmann::json value) {
  nlohmann::json* at = &object;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    at = &(*at)[path[i]];
  }
  (*at)[path.back()] = std::move(value);
}

// What an evaluation works in, kept by the thread so that a hot table allocates nothing: a
// table is evaluated by a synchronous node, start to end, and cells evaluate no tables.
struct Scratch {
  std::vector<std::uint64_t> matches;         // row set of the candidates
  std::vector<std::uint64_t> column;          // row set of one column's candidates
  std::vector<const nlohmann::json*> values;  // per column: the value under test
  std::vector<nlohmann::json> computed;       // per column: the value when it is not borrowed
};
thread_local Scratch scratch;

// Empties the computed values when the evaluation ends, so that none outlives it.
struct ComputedValues {
  std::vector<nlohmann::json>& values;
  ~ComputedValues() { values.clear(); }
};

}  // namespace

DecisionTable::DecisionTable(Hit hit, std::vector<TableInput> inputs,
                             const std::vector<std::string>& outputs, std::vector<TableRule> rules,
                             bool indexed)
    : hit_(hit) {
  for (std::size_t j = 0; j < outputs.size(); ++j) {
    output_paths_.push_back(split_path(outputs[j], j));
    for (std::size_t i = 0; i < j; ++i) {
      if (starts_with(output_paths_[j], output_paths_[i]) ||
          starts_with(output_paths_[i], output_paths_[j])) {
        throw ConfigError("outputs[" + std::to_string(j) + "]",
                          "'" + outputs[j] + "' clashes with '" + outputs[i] + "' (outputs[" +
                              std::to_string(i) + "]): one would overwrite the other");
      }
    }
  }
  for (TableInput& input : inputs) {
    columns_.push_back({std::move(input), {}, std::nullopt});
  }
  tested_columns_.resize(rules.size());
  for (std::size_t r = 0; r < rules.size(); ++r) {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      columns_[c].cells.push_back(std::move(rules[r].when[c]));
    }
    then_.push_back(std::move(rules[r].then));
  }
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    Column& column = columns_[c];
    if (indexed && column.input.subject) {
      column.index.emplace(column.cells);
      if (column.index->selective()) {
        indexed_columns_.push_back(c);
      }
    }
    for (std::uint32_t r = 0; r < rules.size(); ++r) {
      const bool decided = column.cells[r].any || (column.index && !column.index->needs_test(r));
      if (!decided) {
        tested_columns_[r].push_back(static_cast<std::uint32_t>(c));
      }
    }
  }
  // Outputs that read nothing are evaluated once here.
  const Context nothing;
  for (std::size_t r = 0; r < then_.size(); ++r) {
    std::optional<nlohmann::json> constant = nlohmann::json::object();
    for (std::size_t j = 0; j < then_[r].size() && constant; ++j) {
      const std::optional<Expression>& value = then_[r][j];
      if (!value) {
        set_path(*constant, output_paths_[j], nullptr);
      } else if (!value->referenced_keys().empty()) {
        constant.reset();
      } else {
        try {
          set_path(*constant, output_paths_[j], value->evaluate(nothing));
        } catch (const ExpressionError&) {
          constant.reset();  // it fails when the rule matches, and says so then
        }
      }
    }
    constant_outputs_.push_back(std::move(constant));
  }
}

nlohmann::json DecisionTable::outputs_of(std::size_t rule, const KeyLookup& scope) const {
  if (constant_outputs_[rule]) {
    return *constant_outputs_[rule];
  }
  nlohmann::json object = nlohmann::json::object();
  for (std::size_t j = 0; j < output_paths_.size(); ++j) {
    const std::optional<Expression>& value = then_[rule][j];
    if (!value) {
      set_path(object, output_paths_[j], nullptr);
      continue;
    }
    try {
      set_path(object, output_paths_[j], value->evaluate(scope));
    } catch (const ExpressionError& e) {
      throw std::runtime_error("rules[" + std::to_string(rule) + "].then[" + std::to_string(j) +
                               "]: " + e.what());
    }
  }
  return object;
}

nlohmann::json DecisionTable::evaluate(const KeyLookup& scope) const {
  // The values under test, one per column (null for a column without a subject), borrowed from
  // the scope where the subject names them.
  static const nlohmann::json no_subject;
  std::vector<const nlohmann::json*>& values = scratch.values;
  values.assign(columns_.size(), &no_subject);
  const ComputedValues computed{scratch.computed};
  computed.values.resize(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const Column& column = columns_[c];
    if (column.input.subject) {
      try {
        values[c] = &column.input.subject->evaluate(scope, computed.values[c]);
      } catch (const ExpressionError& e) {
        throw std::runtime_error(column.input.name + ": " + e.what());
      }
    }
  }
  const std::size_t rules = then_.size();
  const std::size_t words = row_words(rules);
  std::vector<std::uint64_t>& matches = scratch.matches;
  matches.assign(words, ~std::uint64_t{0});
  if (rules % 64 != 0) {
    matches.back() = (std::uint64_t{1} << (rules % 64)) - 1;
  }
  scratch.column.resize(words);
  for (const std::size_t c : indexed_columns_) {
    columns_[c].index->candidates(*values[c], scratch.column);
    for (std::size_t w = 0; w < words; ++w) {
      matches[w] &= scratch.column[w];
    }
  }
  nlohmann::json result = hit_ == Hit::first ? nlohmann::json() : nlohmann::json::array();
  for_each_row(matches, [&](std::uint32_t rule) {
    for (const std::uint32_t c : tested_columns_[rule]) {
      if (!columns_[c].cells[rule].matches(*values[c], scope)) {
        return true;  // next rule
      }
    }
    if (hit_ == Hit::first) {
      result = outputs_of(rule, scope);
      return false;
    }
    result.push_back(outputs_of(rule, scope));
    return true;
  });
  return result;
}

}  // namespace lg::detail
