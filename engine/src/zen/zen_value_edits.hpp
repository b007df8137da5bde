#pragma once

// ZEN's edits of values, as its engine makes them between JDM nodes: each returns a new value
// and copies only the objects on its way (what is not edited stays shared).

#include "zen/zen_value.hpp"

#include <string_view>

namespace lg::zen {

/// ZEN's merge of `patch` into `doc` (SharedValue::merged()).
[[nodiscard]] Value merged(const Value& doc, const Value& patch);
/// `base` with `v` at the dotted `path`; `base` when it, or a value on the way, is not an
/// object (null included), as ZEN's dot_insert.
[[nodiscard]] Value with_path(const Value& base, std::string_view path, const Value& v);
/// `v` without any member named `key`, at any depth (`v` itself when it has none).
[[nodiscard]] Value without_key(const Value& v, std::string_view key);

}  // namespace lg::zen
