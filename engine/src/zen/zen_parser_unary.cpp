#include "zen/zen_parser.hpp"
#include "zen/zen_parser_state.hpp"

namespace lg::zen {

NodePtr Parser::unary_program() {
  NodePtr left = unary_pair();
  while (cur().kind != Tok::end) {
    NodeKind join;
    if (cur().is(Tok::keyword, "and")) {
      join = NodeKind::logical_and;
    } else if (cur().is(Tok::keyword, "or") || cur().is(Tok::op, ",")) {
      join = NodeKind::logical_or;
    } else {
      fail(cur().pos, fmt::format("unexpected '{}' between unary tests", cur().text));
    }
    const auto pos = cur().pos;
    advance();
    left = chain(join, pos, std::move(left), unary_pair());
  }
  return left;
}

// One test of a unary cell: `op expr` against `$`, or an expression whose kind says how it
// tests `$` (equal to it, contains it, or true).
NodePtr Parser::unary_pair() {
  in_unary_pair_ = true;
  const auto pos = cur().pos;
  NodePtr dollar = make(NodeKind::identifier, pos);
  dollar->name.push_back('$');  // not = "$": GCC 12 -O3 -Wstringop-overflow false positive
  NodePtr left;
  // A leading comparison tests `$`; anything else (`-1`, `+2` too) starts an expression.
  if (const auto lead = binary_info(); !lead || lead->precedence != 20) {
    left = expression();
  }
  if (const auto info = binary_info(); info && info->precedence == 20) {
    advance();
    if (info->op == BinaryOp::not_in) {
      advance();
    }
    NodePtr n = pair(NodeKind::binary, pos, left ? std::move(left) : std::move(dollar), binary(0));
    n->op = info->op;
    in_unary_pair_ = false;
    return n;
  }
  if (!left) {
    fail(cur().pos, fmt::format("unexpected '{}'", cur().text));
  }
  in_unary_pair_ = false;
  switch (use_of(*left)) {
    case UnaryUse::boolean:
      return left;
    case UnaryUse::in: {
      NodePtr n = pair(NodeKind::binary, pos, std::move(dollar), std::move(left));
      n->op = BinaryOp::in;
      return n;
    }
    case UnaryUse::equal:
      break;
  }
  NodePtr n = pair(NodeKind::binary, pos, std::move(dollar), std::move(left));
  n->op = BinaryOp::eq;
  return n;
}

UnaryUse Parser::use_of(const Node& n) {
  switch (n.kind) {
    case NodeKind::array:
    case NodeKind::interval:
    case NodeKind::slice:
      return UnaryUse::in;
    case NodeKind::pointer:
    case NodeKind::closure:
    case NodeKind::logical_and:
    case NodeKind::logical_or:
    case NodeKind::logical_not:
    case NodeKind::nullish:
      return UnaryUse::boolean;
    case NodeKind::negate:
      return use_of(*n.kids[0]);
    case NodeKind::conditional: {
      const UnaryUse a = use_of(*n.kids[1]);
      return a == use_of(*n.kids[2]) ? a : UnaryUse::equal;
    }
    case NodeKind::binary:
      if (n.op >= BinaryOp::eq) {
        return UnaryUse::boolean;
      } else {
        const UnaryUse a = use_of(*n.kids[0]);
        return a == use_of(*n.kids[1]) ? a : UnaryUse::equal;
      }
    case NodeKind::call:
      return function_at(n.function).unary_use;
    case NodeKind::method:  // d($).isBefore(...), isValid(), isToday(): tests of their own
      return n.name.starts_with("is") ? UnaryUse::boolean : UnaryUse::equal;
    default:
      return UnaryUse::equal;
  }
}

std::unique_ptr<Node> parse_unary(std::string_view text) {
  return Parser(text, 0, text.size()).unary_program();
}

}  // namespace lg::zen
