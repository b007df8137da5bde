#pragma once

#include "decisions/column_index.hpp"
#include "decisions/unary_test.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include <logic_graph/engine/expr/key_lookup.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lg::detail {

/// An input column: the expression whose value its cells test (none: each cell is a condition
/// of its own), and how errors name it (`inputs[0] 'customer.age'`).
struct TableInput {
  std::optional<Expression> subject;
  std::string name;
};

/// A rule: one cell per input column, one value per output.
struct TableRule {
  std::vector<UnaryTest> when;
  std::vector<std::optional<Expression>> then;  // unset: null
};

/// A decision table, compiled once and evaluated from any number of threads.
///
/// evaluate() finds the matching rules through a ColumnIndex per column (so the cost grows with
/// the candidates, not the rows) and tests only the cells the index does not decide; the first
/// hit policy stops at the first match.
class DecisionTable {
 public:
  enum class Hit : std::uint8_t { first, collect };

  /// Throws ConfigError (`outputs[1]`) when an output's path clashes with another's (`a` and
  /// `a.b`). `indexed` false tests every cell of every row (for tests that check the index).
  DecisionTable(Hit hit, std::vector<TableInput> inputs, const std::vector<std::string>& outputs,
                std::vector<TableRule> rules, bool indexed = true);

  /// first: the outputs of the first matching rule as an object (dotted outputs nest), or null;
  /// collect: those of every matching rule, in order. An input or output that fails to evaluate
  /// throws, naming it; a cell that fails does not match.
  [[nodiscard]] nlohmann::json evaluate(const KeyLookup& scope) const;

 private:
  struct Column {
    TableInput input;
    std::vector<UnaryTest> cells;  // one per rule
    std::optional<ColumnIndex> index;
  };

  [[nodiscard]] nlohmann::json outputs_of(std::size_t rule, const KeyLookup& scope) const;

  Hit hit_;
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> output_paths_;
  std::vector<std::vector<std::optional<Expression>>> then_;  // per rule
  std::vector<std::optional<nlohmann::json>> constant_outputs_;
  std::vector<std::vector<std::uint32_t>> tested_columns_;  // per rule: cells to test
  std::vector<std::size_t> indexed_columns_;                // columns worth a lookup
};

}  // namespace lg::detail
