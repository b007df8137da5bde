#include "exec/value_depth.hpp"

#include <stdexcept>
#include <string>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

// True when `value` (an array or object) holds containers more than `levels` deep below it.
// Recursion is bounded by `levels`: at most max_value_depth frames of a few words. Walks the
// containers themselves: nlohmann's iterators test the value's type at every step.
bool nests_deeper_than(const Json& value, std::size_t levels);

bool child_too_deep(const Json& child, std::size_t levels) {
  return child.is_structured() && (levels == 0 || nests_deeper_than(child, levels - 1));
}

bool nests_deeper_than(const Json& value, std::size_t levels) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.get_ref<const Json::object_t&>()) {
      if (child_too_deep(child, levels)) {
        return true;
      }
    }
    return false;
  }
  for (const Json& child : value.get_ref<const Json::array_t&>()) {
    if (child_too_deep(child, levels)) {
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
