#include "zen/zen_parser.hpp"
#include "zen/zen_parser_state.hpp"

namespace lg::zen {

NodePtr Parser::program() {
  std::vector<NodePtr> statements;
  std::vector<NodePtr> targets;
  bool assigns = false;
  while (true) {
    NodePtr e = expression();
    if (cur().is(Tok::op, "=")) {
      if (!is_path(*e)) {
        fail(cur().pos, "the left side of '=' must be a name or a dotted path");
      }
      advance();
      NodePtr target = make(NodeKind::literal, e->pos);
      target->name = path_of(*e);
      targets.push_back(std::move(target));
      statements.push_back(expression());
      assigns = true;
    } else {
      targets.push_back(nullptr);
      statements.push_back(std::move(e));
    }
    if (!cur().is(Tok::op, ";")) {
      break;
    }
    advance();
    if (cur().kind == Tok::end) {
      break;
    }
  }
  expect_end();
  if (!assigns) {
    if (statements.size() != 1) {
      fail(statements[1]->pos, "only assignments may be separated by ';'");
    }
    return std::move(statements.front());
  }
  NodePtr out = make(NodeKind::assignments, 0);
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const bool last = i + 1 == statements.size();
    if (!targets[i]) {
      if (!last) {
        fail(statements[i]->pos, "only the last statement may be a plain expression");
      }
      out->flag_a = true;
      adopt(*out, std::move(statements[i]));
      break;
    }
    adopt(*out, std::move(targets[i]));
    adopt(*out, std::move(statements[i]));
  }
  return out;
}

NodePtr Parser::expression() {
  const Depth depth(*this);
  NodePtr cond = binary(0);
  if (!cur().is(Tok::op, "?")) {
    return cond;
  }
  NodePtr n = make(NodeKind::conditional, cur().pos);
  advance();
  adopt(*n, std::move(cond));
  adopt(*n, expression());
  expect(Tok::op, ":");
  adopt(*n, expression());
  return n;
}

std::optional<BinaryInfo> Parser::binary_info() const {
  const Token& t = cur();
  if (t.kind == Tok::keyword) {
    if (t.text == "in") {
      return BinaryInfo{BinaryOp::in, 20, false};
    }
    if (t.text == "not" && peek().is(Tok::keyword, "in")) {
      return BinaryInfo{BinaryOp::not_in, 20, false};
    }
    return std::nullopt;
  }
  if (t.kind != Tok::op) {
    return std::nullopt;
  }
  static constexpr std::pair<std::string_view, BinaryInfo> table[] = {
      {"==", {BinaryOp::eq, 20, false}}, {"!=", {BinaryOp::ne, 20, false}},
      {"<", {BinaryOp::lt, 20, false}},  {"<=", {BinaryOp::le, 20, false}},
      {">", {BinaryOp::gt, 20, false}},  {">=", {BinaryOp::ge, 20, false}},
      {"+", {BinaryOp::add, 30, false}}, {"-", {BinaryOp::sub, 30, false}},
      {"*", {BinaryOp::mul, 60, false}}, {"/", {BinaryOp::div, 60, false}},
      {"%", {BinaryOp::mod, 60, false}}, {"^", {BinaryOp::pow, 70, true}},
  };
  for (const auto& [text, info] : table) {
    if (t.text == text) {
      return info;
    }
  }
  return std::nullopt;
}

// Precedence climbing: or 10, and 15, comparisons and `in` 20, + - 30, * / % 60, ^ 70
// (right), ?? 80, unary minus above all, `not` 50.
NodePtr Parser::binary(int min_precedence) {
  const Depth depth(*this);
  NodePtr left = unary();
  while (true) {
    const Token& t = cur();
    const auto pos = t.pos;
    if (t.is(Tok::keyword, "or") && min_precedence <= 10 && !in_unary_pair_) {
      advance();
      left = chain(NodeKind::logical_or, pos, std::move(left), binary(11));
      continue;
    }
    if (t.is(Tok::keyword, "and") && min_precedence <= 15 && !in_unary_pair_) {
      advance();
      left = chain(NodeKind::logical_and, pos, std::move(left), binary(16));
      continue;
    }
    if (t.is(Tok::op, "??") && min_precedence <= 80) {
      advance();
      left = pair(NodeKind::nullish, pos, std::move(left), binary(81));
      continue;
    }
    const auto info = binary_info();
    if (!info || info->precedence < min_precedence) {
      return left;
    }
    advance();
    if (info->op == BinaryOp::not_in) {
      advance();
    }
    NodePtr right = binary(info->right_assoc ? info->precedence : info->precedence + 1);
    left = pair(NodeKind::binary, pos, std::move(left), std::move(right));
    left->op = info->op;
  }
}

NodePtr Parser::unary() {
  const Token& t = cur();
  const auto pos = t.pos;
  if (t.is(Tok::keyword, "not") || t.is(Tok::op, "!")) {
    advance();
    NodePtr n = make(NodeKind::logical_not, pos);
    adopt(*n, binary(50));
    return n;
  }
  if (t.is(Tok::op, "-")) {
    advance();
    NodePtr operand = binary(200);
    if (operand->kind == NodeKind::literal && operand->value.is_number()) {
      operand->value = Value::number(operand->value.as_number().negated());
      operand->pos = pos;
      return operand;
    }
    NodePtr n = make(NodeKind::negate, pos);
    adopt(*n, std::move(operand));
    return n;
  }
  if (t.is(Tok::op, "+")) {
    advance();
    return binary(200);
  }
  return postfix(primary());
}

NodePtr Parser::postfix(NodePtr base) {
  while (true) {
    const auto pos = cur().pos;
    if (cur().is(Tok::op, ".")) {
      advance();
      if (cur().kind != Tok::identifier && cur().kind != Tok::keyword) {
        fail(cur().pos, "expected a field name after '.'");
      }
      NodePtr key = make(NodeKind::literal, cur().pos);
      key->value = Value::string(cur().text);
      const std::string field = cur().text;
      advance();
      if (cur().is(Tok::open, "(")) {
        base = method(std::move(base), field, key->pos);
        continue;
      }
      NodePtr n = pair(NodeKind::member, pos, std::move(base), std::move(key));
      n->name = field;
      base = std::move(n);
      continue;
    }
    if (cur().is(Tok::open, "[")) {
      advance();
      const Nested nested(*this);
      NodePtr low;
      if (!cur().is(Tok::op, ":")) {
        low = expression();
      }
      if (cur().is(Tok::op, ":")) {
        advance();
        NodePtr n = make(NodeKind::slice, pos);
        adopt(*n, std::move(base));
        n->flag_a = low != nullptr;
        adopt(*n, low ? std::move(low) : make(NodeKind::literal, pos));
        n->flag_b = !cur().is(Tok::close, "]");
        adopt(*n, n->flag_b ? expression() : make(NodeKind::literal, pos));
        expect(Tok::close, "]");
        base = std::move(n);
        continue;
      }
      expect(Tok::close, "]");
      base = pair(NodeKind::member, pos, std::move(base), std::move(low));
      continue;
    }
    return base;
  }
}

NodePtr Parser::method(NodePtr receiver, const std::string& name, std::uint32_t pos) {
  advance();  // (
  const Nested nested(*this);
  NodePtr n = make(NodeKind::method, pos);
  n->name = name;
  adopt(*n, std::move(receiver));
  arguments(*n);
  return n;
}

NodePtr Parser::chain(NodeKind kind, std::uint32_t pos, NodePtr left, NodePtr right) {
  if (left->kind != kind) {
    return pair(kind, pos, std::move(left), std::move(right));
  }
  adopt(*left, std::move(right));
  return left;
}

void Parser::arguments(Node& call) {
  while (!cur().is(Tok::close, ")")) {
    adopt(call, expression());
    if (!cur().is(Tok::op, ",")) {
      break;
    }
    advance();
  }
  expect(Tok::close, ")");
}

std::unique_ptr<Node> parse_standard(std::string_view text) {
  return Parser(text, 0, text.size()).program();
}

}  // namespace lg::zen
