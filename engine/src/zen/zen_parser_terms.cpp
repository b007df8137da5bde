#include "zen/zen_parser_state.hpp"

namespace lg::zen {

NodePtr Parser::primary() {
  const Token t = cur();
  const Nested nested(*this);
  switch (t.kind) {
    case Tok::number: {
      std::string digits;
      for (const char c : t.text) {
        if (c != '_') {
          digits += c;
        }
      }
      const auto d = Decimal::parse(digits);
      if (!d) {
        fail(t.pos, fmt::format("number '{}' is out of range", t.text));
      }
      advance();
      NodePtr n = make(NodeKind::literal, t.pos);
      n->value = Value::number(*d);
      return n;
    }
    case Tok::string: {
      advance();
      NodePtr n = make(NodeKind::literal, t.pos);
      n->value = Value::string(t.text);
      return n;
    }
    case Tok::template_string:
      advance();
      return template_string(t);
    case Tok::keyword:
      if (t.text == "true" || t.text == "false" || t.text == "null") {
        advance();
        NodePtr n = make(NodeKind::literal, t.pos);
        n->value = t.text == "null" ? Value() : Value::boolean(t.text == "true");
        return n;
      }
      break;
    case Tok::pointer:
      advance();
      return make(NodeKind::pointer, t.pos);
    case Tok::identifier:
      advance();
      if (cur().is(Tok::open, "(")) {
        return call(t);
      }
      if (t.text == "$root") {
        return make(NodeKind::root, t.pos);
      } else {
        NodePtr n = make(NodeKind::identifier, t.pos);
        n->name = t.text;
        return n;
      }
    case Tok::open:
      advance();
      if (t.text == "{") {
        return object(t.pos);
      }
      return bracketed(t);
    default:
      break;
  }
  fail(t.pos, t.kind == Tok::end ? std::string("unexpected end of expression")
                                 : fmt::format("unexpected '{}'", t.text));
}

// `(e)`, `[a, b]`, and the intervals `[a..b]`, `(a..b)`, `[a..b)`, `(a..b]`.
NodePtr Parser::bracketed(const Token& open) {
  const bool square = open.text == "[";
  if (square && cur().is(Tok::close, "]")) {
    advance();
    return make(NodeKind::array, open.pos);
  }
  NodePtr first = expression();
  if (cur().is(Tok::op, "..")) {
    advance();
    NodePtr n = pair(NodeKind::interval, open.pos, std::move(first), expression());
    n->flag_a = !square;
    if (cur().is(Tok::close, "]") || cur().is(Tok::close, ")")) {
      n->flag_b = cur().text == ")";
      advance();
      return n;
    }
    fail(cur().pos, "expected ']' or ')' to close the interval");
  }
  if (!square) {
    expect(Tok::close, ")");
    return first;
  }
  NodePtr n = make(NodeKind::array, open.pos);
  adopt(*n, std::move(first));
  while (cur().is(Tok::op, ",")) {
    advance();
    if (cur().is(Tok::close, "]")) {
      break;
    }
    adopt(*n, expression());
  }
  expect(Tok::close, "]");
  return n;
}

NodePtr Parser::object(std::uint32_t pos) {
  NodePtr n = make(NodeKind::object, pos);
  while (!cur().is(Tok::close, "}")) {
    const Token& k = cur();
    if (k.is(Tok::open, "[")) {
      advance();
      adopt(*n, expression());
      expect(Tok::close, "]");
    } else if (k.kind == Tok::identifier || k.kind == Tok::keyword || k.kind == Tok::string ||
               k.kind == Tok::number) {
      NodePtr key = make(NodeKind::literal, k.pos);
      key->value = Value::string(k.text);
      adopt(*n, std::move(key));
      advance();
    } else {
      fail(k.pos, "expected a key in the object");
    }
    expect(Tok::op, ":");
    adopt(*n, expression());
    if (!cur().is(Tok::op, ",")) {
      break;
    }
    advance();
  }
  expect(Tok::close, "}");
  return n;
}

NodePtr Parser::call(const Token& name) {
  advance();  // (
  if (const auto closure = find_closure(name.text)) {
    NodePtr n = make(NodeKind::closure, name.pos);
    n->function = static_cast<std::uint16_t>(*closure);
    adopt(*n, expression());
    if (cur().is(Tok::keyword, "as")) {
      advance();
      if (cur().kind != Tok::identifier) {
        fail(cur().pos, "expected a name after 'as'");
      }
      n->name = cur().text;
      advance();
    }
    expect(Tok::op, ",");
    adopt(*n, expression());
    expect(Tok::close, ")");
    return n;
  }
  const auto index = find_function(name.text);
  if (!index) {
    fail(name.pos, fmt::format("unknown function '{}'", name.text));
  }
  NodePtr n = make(NodeKind::call, name.pos);
  n->function = *index;
  arguments(*n);
  const Function& f = function_at(*index);
  if (n->kids.size() < f.min_args || n->kids.size() > f.max_args) {
    fail(name.pos,
         f.min_args == f.max_args
             ? fmt::format("{}() takes {} argument(s), not {}", f.name, f.min_args, n->kids.size())
             : fmt::format("{}() takes {} to {} arguments, not {}", f.name, f.min_args, f.max_args,
                           n->kids.size()));
  }
  return n;
}

NodePtr Parser::template_string(const Token& t) {
  NodePtr n = make(NodeKind::template_string, t.pos);
  const std::string& body = t.text;
  const std::size_t base = t.pos + 1;
  std::string literal;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '$' && i + 1 < body.size() && body[i + 1] == '{') {
      std::size_t j = i + 2;
      for (int depth = 1; j < body.size(); ++j) {
        depth += body[j] == '{' ? 1 : body[j] == '}' ? -1 : 0;
        if (depth == 0) {
          break;
        }
      }
      if (!literal.empty()) {
        NodePtr part = make(NodeKind::literal, static_cast<std::uint32_t>(base + i));
        part->value = Value::string(std::move(literal));
        adopt(*n, std::move(part));
        literal.clear();
      }
      Parser inner(full_, base + i + 2, base + j);
      inner.depth_ = depth_;
      NodePtr e = inner.expression();
      inner.expect_end();
      adopt(*n, std::move(e));
      i = j;
      continue;
    }
    literal += body[i];
  }
  if (!literal.empty() || n->kids.empty()) {
    NodePtr part = make(NodeKind::literal, t.pos);
    part->value = Value::string(std::move(literal));
    adopt(*n, std::move(part));
  }
  return n;
}

}  // namespace lg::zen
