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

  /// The node's result: `work` run on what `inputField` selects from `input` (each element in
  /// loop mode), then placed at `outputPath` and merged into `input` with `passThrough`.
  /// `env_nodes` is `$nodes` for `inputField` (null: none).
  [[nodiscard]] Json apply(const Json& input, const Json& env_nodes,
                           const std::function<Json(const Json&)>& work) const;

  /// apply() on the node's parents' results merged, `work` getting `$nodes` too (null when
  /// the node does not read it): what expression and table nodes run.
  [[nodiscard]] Json run(const NodeInputs& inputs, const NodeScope& scope,
                         const std::function<Json(const Json&, const Json&)>& work) const;

  // apply() in steps, for a node whose work may suspend (a decision node):
  /// What `inputField` selects from `input` (`input` itself without one).
  [[nodiscard]] Json select(const Json& input, const Json& env_nodes) const;
  /// True in loop mode: the work runs once per element of select()'s array.
  [[nodiscard]] bool loop() const noexcept { return loop_; }
  /// The elements select() gave in loop mode; throws when it is not an array.
  [[nodiscard]] const Json& items(const Json& selected) const;
  /// One element's result in loop mode.
  [[nodiscard]] Json item(const Json& element, Json result) const;
  /// The node's result from the work's (the array of items' in loop mode).
  [[nodiscard]] Json finish(const Json& input, Json out) const;

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
