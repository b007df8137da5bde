#pragma once

// The parsed form of a ZEN expression: a tree evaluated as it stands.

#include "zen/zen_value.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lg::zen {

enum class NodeKind : std::uint8_t {
  literal,      // value
  identifier,   // name: a closure alias, else a key of the environment
  root,         // $root: the whole environment
  pointer,      // #: the closure's current element
  member,       // kids[0].kids[1] or kids[0][kids[1]]
  slice,        // kids[0][kids[1]:kids[2]], either bound absent (flags)
  negate,       // -kids[0]
  logical_not,  // not kids[0]
  binary,       // kids[0] op kids[1]
  logical_and,
  logical_or,
  nullish,          // kids[0] ?? kids[1]
  conditional,      // kids[0] ? kids[1] : kids[2]
  array,            // [kids...]
  object,           // {kids[0]: kids[1], ...}
  interval,         // [kids[0]..kids[1]] with open ends (flags)
  template_string,  // kids: literal parts and expressions, concatenated as strings
  call,             // function(kids...)
  closure,          // function(kids[0] [as name], kids[1])
  method,           // kids[0].name(kids[1...])
  assignments,      // kids[2i] = kids[2i+1] (targets are paths), then kids.back() if `has_result`
};

enum class BinaryOp : std::uint8_t {
  add,
  sub,
  mul,
  div,
  mod,
  pow,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in
};

struct Node {
  NodeKind kind = NodeKind::literal;
  BinaryOp op = BinaryOp::add;
  std::uint32_t pos = 0;
  std::uint16_t function = 0;  // call/closure: index into the function table
  std::uint16_t height = 0;    // of the subtree: 0 for a leaf
  bool flag_a = false;  // interval: low open; slice: has low bound; assignments: has a result
  bool flag_b = false;  // interval: high open; slice: has high bound
  Value value;
  std::string name;  // identifier; member with a constant key; closure alias; assignment path
  std::vector<std::unique_ptr<Node>> kids;
};

}  // namespace lg::zen
