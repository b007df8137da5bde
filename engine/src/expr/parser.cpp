// Recursive descent, one function per precedence level. Binary levels loop instead of
// recursing, so only parentheses, brackets, `?:` and unary operators deepen the C++ stack, and
// each of those passes a nesting guard.

#include "expr/parser.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include "expr/builtins.hpp"
#include "expr/lexer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>

namespace lg::detail {

namespace {

struct BinaryOp {
  std::size_t level;  // 0 binds loosest; every level is left-associative
  Tok token;
  NodeKind kind;
  Op op;
};

constexpr std::size_t binary_levels = 7;
constexpr std::array binary_ops{
    BinaryOp{0, Tok::oror, NodeKind::logical_or, Op::add},
    BinaryOp{1, Tok::andand, NodeKind::logical_and, Op::add},
    BinaryOp{2, Tok::eq, NodeKind::binary, Op::eq},
    BinaryOp{2, Tok::ne, NodeKind::binary, Op::ne},
    BinaryOp{3, Tok::lt, NodeKind::binary, Op::lt},
    BinaryOp{3, Tok::le, NodeKind::binary, Op::le},
    BinaryOp{3, Tok::gt, NodeKind::binary, Op::gt},
    BinaryOp{3, Tok::ge, NodeKind::binary, Op::ge},
    BinaryOp{4, Tok::kw_in, NodeKind::binary, Op::in},
    BinaryOp{5, Tok::plus, NodeKind::binary, Op::add},
    BinaryOp{5, Tok::minus, NodeKind::binary, Op::sub},
    BinaryOp{6, Tok::star, NodeKind::binary, Op::mul},
    BinaryOp{6, Tok::slash, NodeKind::binary, Op::div},
    BinaryOp{6, Tok::percent, NodeKind::binary, Op::mod},
};

bool is_literal(NodeKind kind) noexcept {
  return kind == NodeKind::null_literal || kind == NodeKind::bool_literal ||
         kind == NodeKind::int_literal || kind == NodeKind::unsigned_literal ||
         kind == NodeKind::real_literal || kind == NodeKind::constant;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : program_(std::make_shared<Program>()) {
    program_->text = std::string(text);
    if (text.size() > max_expression_length) {
      fail(0, "expression is too long");
    }
    tokens_ = tokenize(text);
  }

  std::shared_ptr<const Program> run() {
    program_->root = conditional();
    if (peek().kind != Tok::end) {
      fail(peek().pos, "expected an operator or the end of the expression, found " +
                           std::string(describe(peek().kind)));
    }
    return program_;
  }

 private:
  // Counts the parser's own recursion, which (unlike tree depth) grows with `((((x))))`.
  class Nesting {
   public:
    Nesting(Parser& parser, std::uint32_t pos) : parser_(parser) {
      if (++parser_.nesting_ > max_expression_depth) {
        parser_.fail(pos, "expression is nested too deeply");
      }
    }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    ~Nesting() { --parser_.nesting_; }

   private:
    Parser& parser_;
  };

  [[noreturn]] void fail(std::size_t pos, std::string_view reason) const {
    throw ExpressionError(program_->text, pos, reason);
  }

  const Token& peek() const noexcept { return tokens_[at_]; }
  const Token& next() noexcept {
    const Token& token = tokens_[at_];
    if (token.kind != Tok::end) {
      ++at_;
    }
    return token;
  }
  bool accept(Tok kind) noexcept {
    if (peek().kind != kind) {
      return false;
    }
    next();
    return true;
  }
  void expect(Tok kind, std::string_view what) {
    if (!accept(kind)) {
      fail(peek().pos,
           "expected " + std::string(what) + ", found " + std::string(describe(peek().kind)));
    }
  }

  // Adds a node, checking the depth of the tree it roots so that evaluation recursion stays
  // bounded even for long left-leaning chains like `a + a + a + ...`.
  std::uint32_t add(const Node& node, std::span<const std::uint32_t> children = {}) {
    std::size_t depth = 1;
    for (const std::uint32_t child : children) {
      depth = std::max(depth, depths_[child] + 1);
    }
    if (depth > max_expression_depth) {
      fail(node.pos, "expression is nested too deeply");
    }
    program_->nodes.push_back(node);
    depths_.push_back(depth);
    return static_cast<std::uint32_t>(program_->nodes.size() - 1);
  }

  std::uint32_t conditional() {
    const Nesting nesting(*this, peek().pos);
    const std::uint32_t condition = binary(0);
    if (peek().kind != Tok::question) {
      return condition;
    }
    Node node;
    node.kind = NodeKind::conditional;
    node.pos = next().pos;
    node.lhs = condition;
    node.rhs = conditional();
    expect(Tok::colon, "':'");
    node.third = conditional();
    return add(node, std::array{node.lhs, node.rhs, node.third});
  }

  std::uint32_t binary(std::size_t level) {
    if (level == binary_levels) {
      return unary();
    }
    std::uint32_t lhs = binary(level + 1);
    for (;;) {
      const auto op = std::find_if(binary_ops.begin(), binary_ops.end(), [&](const BinaryOp& o) {
        return o.level == level && o.token == peek().kind;
      });
      if (op == binary_ops.end()) {
        return lhs;
      }
      Node node;
      node.kind = op->kind;
      node.op = op->op;
      node.pos = next().pos;
      node.lhs = lhs;
      node.rhs = binary(level + 1);
      lhs = add(node, std::array{node.lhs, node.rhs});
    }
  }

  std::uint32_t unary() {
    if (peek().kind != Tok::bang && peek().kind != Tok::minus) {
      return primary();
    }
    const Nesting nesting(*this, peek().pos);
    Node node;
    node.kind = NodeKind::unary;
    node.pos = peek().pos;
    node.op = next().kind == Tok::bang ? Op::logical_not : Op::negate;
    node.lhs = unary();
    // Folds `-5` into a literal so that negative numbers cost nothing and fold into constant
    // arrays. Integer literals are exact from -2^63 to 2^64 - 1, like integer arithmetic.
    Node& operand = program_->nodes[node.lhs];
    constexpr auto int_min = std::numeric_limits<std::int64_t>::min();
    if (node.op == Op::negate && operand.kind == NodeKind::int_literal) {
      if (operand.integer == int_min) {
        operand.kind = NodeKind::unsigned_literal;  // 2^63, whose bits are INT64_MIN's
      } else {
        operand.integer = -operand.integer;
      }
      return node.lhs;
    }
    if (node.op == Op::negate && operand.kind == NodeKind::unsigned_literal) {
      if (operand.integer != int_min) {  // only -2^63 is in range
        fail(node.pos, "integer literal out of range");
      }
      operand.kind = NodeKind::int_literal;
      return node.lhs;
    }
    if (node.op == Op::negate && operand.kind == NodeKind::real_literal) {
      operand.real = -operand.real;
      return node.lhs;
    }
    return add(node, std::array{node.lhs});
  }

  std::uint32_t primary() {
    const Token& token = peek();
    Node node;
    node.pos = token.pos;
    switch (token.kind) {
      case Tok::integer: {
        const std::uint64_t value = next().integer;
        node.kind = value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                        ? NodeKind::int_literal
                        : NodeKind::unsigned_literal;
        node.integer = static_cast<std::int64_t>(value);  // the same bits
        return add(node);
      }
      case Tok::real:
        node.kind = NodeKind::real_literal;
        node.real = next().real;
        return add(node);
      case Tok::string:
        node.kind = NodeKind::constant;
        node.constant = static_cast<std::uint32_t>(program_->constants.size());
        program_->constants.emplace_back(next().str);
        return add(node);
      case Tok::kw_true:
      case Tok::kw_false:
        node.kind = NodeKind::bool_literal;
        node.boolean = next().kind == Tok::kw_true;
        return add(node);
      case Tok::kw_null:
        next();
        return add(node);
      case Tok::lparen: {
        next();
        const std::uint32_t inner = conditional();
        expect(Tok::rparen, "')'");
        return inner;
      }
      case Tok::lbracket:
        return array_literal();
      case Tok::identifier:
        next();
        return peek().kind == Tok::lparen ? call(token) : path(token);
      default:
        fail(token.pos, "expected a value");
    }
  }

  std::uint32_t array_literal() {
    Node node;
    node.pos = next().pos;
    const std::size_t node_mark = program_->nodes.size();
    const std::size_t constant_mark = program_->constants.size();
    std::vector<std::uint32_t> elements;
    if (!accept(Tok::rbracket)) {
      do {
        elements.push_back(conditional());
      } while (accept(Tok::comma));
      expect(Tok::rbracket, "',' or ']'");
    }
    const bool all_literal = std::all_of(elements.begin(), elements.end(), [&](std::uint32_t e) {
      return is_literal(program_->nodes[e].kind);
    });
    if (all_literal) {
      // Built once here, so that `x in ['a', 'b']` borrows it at run time. Every node and
      // constant since the marks belongs to these literal elements, so they can go.
      nlohmann::json array = nlohmann::json::array();
      for (const std::uint32_t e : elements) {
        array.push_back(literal_json(program_->nodes[e]));
      }
      program_->nodes.resize(node_mark);
      depths_.resize(node_mark);
      program_->constants.resize(constant_mark);
      node.kind = NodeKind::constant;
      node.constant = static_cast<std::uint32_t>(program_->constants.size());
      program_->constants.push_back(std::move(array));
      return add(node);
    }
    node.kind = NodeKind::array;
    node.first = static_cast<std::uint32_t>(program_->args.size());
    node.count = static_cast<std::uint32_t>(elements.size());
    program_->args.insert(program_->args.end(), elements.begin(), elements.end());
    return add(node, elements);
  }

  nlohmann::json literal_json(const Node& node) const {
    switch (node.kind) {
      case NodeKind::bool_literal:
        return node.boolean;
      case NodeKind::int_literal:
        return node.integer;
      case NodeKind::unsigned_literal:
        return static_cast<std::uint64_t>(node.integer);
      case NodeKind::real_literal:
        return node.real;
      case NodeKind::constant:
        return program_->constants[node.constant];
      default:
        return nullptr;
    }
  }

  std::uint32_t call(const Token& name) {
    const BuiltinInfo* info = find_builtin(name.text);
    if (info == nullptr) {
      fail(name.pos, "unknown function '" + std::string(name.text) + "'");
    }
    next();  // (
    std::vector<std::uint32_t> args;
    if (!accept(Tok::rparen)) {
      do {
        args.push_back(conditional());
      } while (accept(Tok::comma));
      expect(Tok::rparen, "',' or ')'");
    }
    if (args.size() < info->min_args || args.size() > info->max_args) {
      std::string expected = std::to_string(info->min_args);
      if (info->max_args != info->min_args) {
        expected = "at least " + expected;
      }
      fail(name.pos, std::string(info->name) + " expects " + expected +
                         (info->min_args == 1 ? " argument" : " arguments") + ", got " +
                         std::to_string(args.size()));
    }
    if (info->id == Builtin::exists && program_->nodes[args[0]].kind != NodeKind::path) {
      fail(program_->nodes[args[0]].pos, "exists expects a path, like exists(order.total)");
    }
    Node node;
    node.kind = NodeKind::call;
    node.builtin = info->id;
    node.pos = name.pos;
    node.first = static_cast<std::uint32_t>(program_->args.size());
    node.count = static_cast<std::uint32_t>(args.size());
    program_->args.insert(program_->args.end(), args.begin(), args.end());
    return add(node, args);
  }

  std::uint32_t path(const Token& root) {
    Node node;
    node.kind = NodeKind::path;
    node.pos = root.pos;
    node.lhs = static_cast<std::uint32_t>(program_->names.size());
    program_->names.emplace_back(root.text);
    if (seen_keys_.insert(root.text).second) {
      program_->referenced_keys.emplace_back(root.text);
    }
    std::vector<Segment> segments;
    std::vector<std::uint32_t> computed;
    for (;;) {
      Segment segment;
      if (accept(Tok::dot)) {
        const Token& field = peek();
        // Keywords are fine as field names: `a.in` or `a.null` cannot mean anything else.
        if (field.kind != Tok::identifier && field.kind != Tok::kw_true &&
            field.kind != Tok::kw_false && field.kind != Tok::kw_null && field.kind != Tok::kw_in) {
          fail(field.pos, "expected a field name after '.'");
        }
        segment.name = static_cast<std::uint32_t>(program_->names.size());
        program_->names.emplace_back(next().text);
      } else if (accept(Tok::lbracket)) {
        const std::uint32_t key = conditional();
        expect(Tok::rbracket, "']'");
        const Node& key_node = program_->nodes[key];
        if (key_node.kind == NodeKind::constant &&
            program_->constants[key_node.constant].is_string()) {
          segment.name = static_cast<std::uint32_t>(program_->names.size());
          program_->names.push_back(
              program_->constants[key_node.constant].get_ref<const std::string&>());
        } else if (key_node.kind == NodeKind::int_literal) {
          segment.kind = Segment::Kind::index;
          segment.index = key_node.integer;
        } else {
          segment.kind = Segment::Kind::computed;
          segment.node = key;
          computed.push_back(key);
        }
      } else {
        break;
      }
      segments.push_back(segment);
    }
    node.first = static_cast<std::uint32_t>(program_->segments.size());
    node.count = static_cast<std::uint32_t>(segments.size());
    program_->segments.insert(program_->segments.end(), segments.begin(), segments.end());
    return add(node, computed);
  }

  std::shared_ptr<Program> program_;
  std::vector<Token> tokens_;
  std::size_t at_ = 0;
  std::size_t nesting_ = 0;
  std::vector<std::size_t> depths_;  // tree depth of each node
  std::unordered_set<std::string_view> seen_keys_;
};

}  // namespace

std::shared_ptr<const Program> parse_program(std::string_view text) {
  return Parser(text).run();
}

}  // namespace lg::detail
