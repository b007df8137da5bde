#pragma once

#include "jdm/jdm_data.hpp"

#include <functional>
#include <optional>
#include <string>

// What expression, decision table and decision nodes share in ZEN: `inputField` (what the
// node works on), `executionMode: "loop"` (once per element), `outputPath` (where the result
// goes) and `passThrough` (the result merged into the node's input).
namespace lg::jdm {

class Transform {
 public:
  /// Reads the attributes from a node's `content`; throws ConfigError naming the field.
  /// `label` starts its errors (`decision table 'fees'`).
  Transform(const Json& content, std::string label);

  /// The node's output: `work` run on what `inputField` selects from `input` (each element
  /// in loop mode), then placed at `outputPath` and merged into `input` with `passThrough`.
  /// `env_nodes` is `$nodes` for `inputField` (null: none).
  [[nodiscard]] Value apply(const Value& input, const Value& env_nodes,
                            const std::function<Value(const Value&)>& work) const;

  /// apply() on the node's parents' outputs merged, `work` getting `$nodes` too (null when
  /// the node does not read it), published (jdm_data.hpp): what expression and table nodes
  /// run.
  [[nodiscard]] Json run(const NodeInputs& inputs, NodeScope& scope,
                         const std::function<Value(const Value&, const Value&)>& work) const;

  // apply() in steps, for a node whose work may suspend (a decision node):
  /// What `inputField` selects from `input` (`input` itself without one).
  [[nodiscard]] Value select(const Value& input, const Value& env_nodes) const;
  /// True in loop mode: the work runs once per element of select()'s array.
  [[nodiscard]] bool loop() const noexcept { return loop_; }
  /// Throws unless `selected` (what select() gave in loop mode) is an array.
  void check_items(const Value& selected) const;
  /// One element's result in loop mode.
  [[nodiscard]] Value item(const Value& element, const Value& result) const;
  /// The node's output from the work's (the array of items' in loop mode).
  [[nodiscard]] Value finish(const Value& input, Value out) const;

 private:
  std::string label_;
  std::optional<zen::Expression> input_field_;
  std::string input_field_text_;
  std::string input_field_error_;  // why it does not parse
  std::string output_path_;
  bool loop_ = false;
  bool pass_through_ = false;
};

}  // namespace lg::jdm
