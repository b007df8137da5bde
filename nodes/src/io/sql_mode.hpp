#pragma once

#include <logic_graph/engine/graph/graph_def.hpp>

namespace lg::detail {

/// What a database node's query gives (its `mode`): every row, the first row, the first value,
/// or what it changed.
enum class SqlMode { rows, one, value, exec };

/// The `mode` field of `def` (`rows` when absent); ConfigError naming it otherwise.
[[nodiscard]] SqlMode sql_mode_of(const NodeDef& def);

}  // namespace lg::detail
