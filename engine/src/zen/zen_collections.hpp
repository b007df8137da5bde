#pragma once

// ZEN's functions over arrays and objects as wholes: keys, values, flatten, merge, mergeDeep.

#include "zen/zen_value.hpp"

#include <vector>

namespace lg::zen {

Value f_keys(const std::vector<Value>& a);
Value f_values(const std::vector<Value>& a);
Value f_flatten(const std::vector<Value>& a);
Value f_merge(const std::vector<Value>& a);
Value f_merge_deep(const std::vector<Value>& a);

}  // namespace lg::zen
