#include "io/sql_mode.hpp"

#include <logic_graph/engine/node/node_registry.hpp>

#include <array>
#include <string_view>

namespace lg::detail {

SqlMode sql_mode_of(const NodeDef& def) {
  static constexpr std::array<std::string_view, 4> names{"rows", "one", "value", "exec"};
  const auto found = def.config.find("mode");
  if (found == def.config.end()) {
    return SqlMode::rows;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (found->is_string() && found->get_ref<const std::string&>() == names[i]) {
      return static_cast<SqlMode>(i);
    }
  }
  throw ConfigError("mode",
                    "must be one of 'rows', 'one', 'value', 'exec', found " +
                        found->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace lg::detail
