#pragma once

#include <string>
#include <string_view>

namespace lg::test {

/// `prefix` followed by `i` ("k7"): keys and ids for tests that make many. Not
/// `"k" + std::to_string(i)`: GCC 12 at -O2 gives a false -Wrestrict on it.
inline std::string numbered(std::string_view prefix, int i) {
  std::string key(prefix);
  key += std::to_string(i);
  return key;
}

}  // namespace lg::test
