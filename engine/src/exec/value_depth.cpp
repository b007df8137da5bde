#include "exec/value_depth.hpp"

#include <stdexcept>
#include <string>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

// True when `value` (an array or object) holds containers more than `levels` deep below it.
// Recursion is bounded by `levels`: at most max_value_depth frames of a few words.
bool nests_deeper_than(const Json& value, std::size_t levels) {
  for (const Json& child : value) {
    if (child.is_structured() && (levels == 0 || nests_deeper_than(child, levels - 1))) {
      return true;
    }
  }
  return false;
}

bool too_deep(const Json& value) {
  return nests_deeper_than(value, max_value_depth - 1);
}

}  // namespace

void check_deep_value(const Json& value, std::string_view what) {
  if (too_deep(value)) {
    std::string message(what == "its result" ? "its result" : "the value it writes under '");
    if (what != "its result") {
      message.append(what).append("'");
    }
    message.append(" is nested deeper than ")
        .append(std::to_string(max_value_depth))
        .append(" levels (the limit for values nodes produce)");
    throw std::runtime_error(message);
  }
}

}  // namespace lg::detail
