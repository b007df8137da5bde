#include "error_value.hpp"

#include <string>

namespace lg::detail {

nlohmann::json error_value(const NodeError& error) {
  return {{"message", error.what()},
          {"node", error.node_id()},
          {"kind", std::string(to_string(error.kind()))}};
}

}  // namespace lg::detail
