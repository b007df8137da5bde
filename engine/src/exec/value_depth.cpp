#include "exec/value_depth.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

// Containers still to look into, with their depth; kept per thread so that checking allocates
// nothing once it has seen a value as wide as the widest before.
thread_local std::vector<std::pair<const Json*, std::size_t>> pending;

bool too_deep(const Json& value) {
  pending.clear();
  pending.emplace_back(&value, 1);
  while (!pending.empty()) {
    const auto [current, depth] = pending.back();
    pending.pop_back();
    if (depth > max_value_depth) {
      pending.clear();
      return true;
    }
    for (const Json& child : *current) {
      if (child.is_structured()) {
        pending.emplace_back(&child, depth + 1);
      }
    }
  }
  return false;
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
