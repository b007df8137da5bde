#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lg::zen {

class Value;
struct SharedValueAccess;

/// A value of ZEN's language as its evaluations make it (what ZEN's engine calls a Variable):
/// null, bool, decimal number, string, array, object, date. Immutable, with its strings,
/// arrays and objects shared: a copy copies a pointer, and an edit (merged(), with()) copies
/// only the objects on its path. Numbers keep every decimal digit, which JSON (doubles) would
/// not. How JDM nodes hand their outputs to the nodes after them (NodeScope::keep).
///
/// @code
/// auto input = lg::zen::SharedValue::from_json({{"order", {{"total", 0.1}}}});
/// auto out = input.with("order.tax", lg::zen::SharedValue::from_json(0.2));
/// std::string text = out.dump();  // {"order":{"tax":0.2,"total":0.1}}
/// @endcode
class SharedValue {
 public:
  /// Null.
  SharedValue() noexcept;
  SharedValue(const SharedValue& other) noexcept;
  SharedValue(SharedValue&& other) noexcept;
  SharedValue& operator=(const SharedValue& other) noexcept;
  SharedValue& operator=(SharedValue&& other) noexcept;
  ~SharedValue();

  /// `j` as ZEN reads JSON (numbers beyond a decimal's range become null). Throws
  /// lg::ExpressionError when it is too large or too deep (zen value limits).
  [[nodiscard]] static SharedValue from_json(const nlohmann::json& j);
  /// An array of `elements`; an object of `members` (a later one of the same key wins).
  [[nodiscard]] static SharedValue array(std::vector<SharedValue> elements);
  [[nodiscard]] static SharedValue object(std::vector<std::pair<std::string, SharedValue>> members);

  /// JSON as ZEN's Node binding gives it: whole numbers as integers, others as doubles; dates
  /// as ISO-8601 text.
  [[nodiscard]] nlohmann::json to_json() const;
  /// JSON text with every number written out exactly (`36.66666666666666666666666667`), as
  /// ZEN's engine serialises; keys sorted; laid out as nlohmann::json::dump(indent) does.
  [[nodiscard]] std::string dump(int indent = -1) const;

  [[nodiscard]] bool is_null() const noexcept;
  [[nodiscard]] bool is_object() const noexcept;
  [[nodiscard]] bool is_array() const noexcept;
  /// ZEN's type() name: "null", "bool", "number", "string", "array", "object", "date".
  [[nodiscard]] std::string_view type_name() const noexcept;
  /// Elements of an array (0 for anything else), and one of them.
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] SharedValue operator[](std::size_t i) const;

  /// ZEN's merge of `patch` into this value: objects merge deeply (an object merged into the
  /// same object is left whole), a null member of `patch` deletes that key, anything else
  /// replaces; at the top an array replaces this value and a scalar leaves it.
  [[nodiscard]] SharedValue merged(const SharedValue& patch) const;
  /// This object with `value` at the dotted `path` (`a.b.c`), objects made on the way;
  /// unchanged when this, or a value on the way, is not an object (null included), as ZEN's
  /// dot_insert.
  [[nodiscard]] SharedValue with(std::string_view path, SharedValue value) const;
  /// This value without any member named `key`, at any depth.
  [[nodiscard]] SharedValue without(std::string_view key) const;

 private:
  friend struct SharedValueAccess;
  alignas(16) unsigned char storage_[64];
};

}  // namespace lg::zen
