#pragma once

// The compiled form of an expression: a flat tree of nodes addressed by index, built once by
// the parser and read concurrently by evaluations. Flat arrays keep a tree's nodes together in
// memory, which matters because evaluation walks the same small tree millions of times.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lg::detail {

/// Deepest tree (and deepest parser recursion) accepted, so that evaluating or parsing any
/// accepted expression stays far from the end of a thread's stack.
inline constexpr std::size_t max_expression_depth = 256;
/// Longest expression text accepted (positions are stored in 32 bits).
inline constexpr std::size_t max_expression_length = std::size_t{16} << 20;
/// Longest string an evaluation may build: str() of nested arrays doubles escapes at every
/// level, so without a cap a short expression could ask for an exponential amount of memory.
inline constexpr std::size_t max_built_string = std::size_t{16} << 20;

enum class NodeKind : std::uint8_t {
  null_literal,
  bool_literal,
  int_literal,
  unsigned_literal,  // above INT64_MAX; the value's bits are in Node::integer
  real_literal,
  constant,  // a string or constant array literal, pre-built as JSON so reads borrow it
  array,     // an array literal with computed elements
  path,
  unary,
  binary,
  logical_and,
  logical_or,
  conditional,
  call,
};

enum class Op : std::uint8_t {
  logical_not,
  negate,
  add,
  sub,
  mul,
  div,
  mod,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in
};

enum class Builtin : std::uint8_t {
  len,
  lower,
  upper,
  contains,
  starts_with,
  ends_with,
  min,
  max,
  abs,
  round,
  floor,
  ceil,
  sum,
  exists,
  str,
  num,
};

/// One step of a path after its first (context key) segment.
struct Segment {
  enum class Kind : std::uint8_t { field, index, computed };
  Kind kind = Kind::field;
  std::uint32_t name = 0;  // field: index into Program::names
  std::int64_t index = 0;  // index: the array position
  std::uint32_t node = 0;  // computed: the node giving a key or a position
};

struct Node {
  NodeKind kind = NodeKind::null_literal;
  Op op = Op::add;
  Builtin builtin = Builtin::len;
  bool boolean = false;
  std::uint32_t pos = 0;  // offset of the token or operator that errors point at
  // unary: lhs; binary/and/or: lhs, rhs; conditional: lhs ? rhs : third; path: lhs = root name.
  std::uint32_t lhs = 0;
  std::uint32_t rhs = 0;
  std::uint32_t third = 0;
  // array/call: a range of Program::args; path: a range of Program::segments.
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  std::int64_t integer = 0;
  double real = 0.0;
  std::uint32_t constant = 0;  // index into Program::constants
};

struct Program {
  std::string text;
  std::vector<Node> nodes;
  std::vector<std::uint32_t> args;
  std::vector<Segment> segments;
  std::vector<std::string> names;
  std::vector<nlohmann::json> constants;
  std::vector<std::string> referenced_keys;
  std::uint32_t root = 0;
};

}  // namespace lg::detail
