#pragma once

// The parser of ZEN's expressions, shared by the files of its grammar: zen_parser.cpp
// (statements, operators, postfix access), zen_parser_terms.cpp (literals, calls, templates)
// and zen_parser_unary.cpp (the unary tests of decision-table cells).

#include "zen/zen_ast.hpp"
#include "zen/zen_functions.hpp"
#include "zen/zen_lexer.hpp"

#include <logic_graph/engine/expr/expression.hpp>

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lg::zen {

using NodePtr = std::unique_ptr<Node>;

// Deeper input is refused at parse time, so that evaluation (recursive too) stays far from the
// end of the stack.
inline constexpr int max_depth = 200;

struct BinaryInfo {
  BinaryOp op;
  int precedence;
  bool right_assoc;
};

class Parser {
 public:
  Parser(std::string_view full, std::size_t begin, std::size_t end) : full_(full) {
    try {
      tokens_ = tokenize(full.substr(begin, end - begin));
    } catch (const ExpressionError& e) {
      fail(begin + e.position(), std::string(reason_of(e)));
    }
    for (auto& t : tokens_) {
      t.pos += static_cast<std::uint32_t>(begin);
    }
  }

  NodePtr program();

  NodePtr unary_program();

 private:
  static std::string_view reason_of(const ExpressionError& e) {
    const std::string_view w = e.what();
    const auto colon = w.find("': ");
    return colon == std::string_view::npos ? w : w.substr(colon + 3);
  }

  [[noreturn]] void fail(std::size_t pos, std::string reason) const {
    throw ExpressionError(std::string(full_), pos, reason);
  }
  const Token& cur() const { return tokens_[i_]; }
  const Token& peek() const { return tokens_[i_ + 1 < tokens_.size() ? i_ + 1 : i_]; }
  void advance() {
    if (i_ + 1 < tokens_.size()) {
      ++i_;
    }
  }
  void expect(Tok kind, std::string_view text) {
    if (!cur().is(kind, text)) {
      fail(cur().pos, cur().kind == Tok::end
                          ? fmt::format("expected '{}' at the end", text)
                          : fmt::format("expected '{}', found '{}'", text, cur().text));
    }
    advance();
  }
  void expect_end() const {
    if (cur().kind != Tok::end) {
      fail(cur().pos, fmt::format("unexpected '{}'", cur().text));
    }
  }
  static NodePtr make(NodeKind kind, std::uint32_t pos) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->pos = pos;
    return n;
  }
  NodePtr pair(NodeKind kind, std::uint32_t pos, NodePtr a, NodePtr b) const {
    NodePtr n = make(kind, pos);
    adopt(*n, std::move(a));
    adopt(*n, std::move(b));
    return n;
  }
  // Every child goes through here, so that the tree's height is known as it grows: loops such
  // as `a.b.c...` or `1 + 1 + ...` build deep trees without deep parser recursion.
  void adopt(Node& parent, NodePtr kid) const {
    if (kid->height + 1 > parent.height) {
      parent.height = static_cast<std::uint16_t>(kid->height + 1);
      if (parent.height > max_depth) {
        fail(kid->pos, fmt::format("expression nested deeper than {} levels", max_depth));
      }
    }
    parent.kids.push_back(std::move(kid));
  }
  static bool is_path(const Node& n) {
    if (n.kind == NodeKind::identifier) {
      return true;
    }
    return n.kind == NodeKind::member && !n.name.empty() && is_path(*n.kids[0]);
  }
  static std::string path_of(const Node& n) {
    return n.kind == NodeKind::identifier ? n.name : path_of(*n.kids[0]) + "." + n.name;
  }

  struct Depth {
    explicit Depth(Parser& p) : p_(p) {
      if (++p_.depth_ > max_depth) {
        p_.fail(p_.cur().pos, fmt::format("expression nested deeper than {} levels", max_depth));
      }
    }
    ~Depth() { --p_.depth_; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
    Parser& p_;
  };

  NodePtr expression();

  std::optional<BinaryInfo> binary_info() const;

  // Precedence climbing: or 10, and 15, comparisons and `in` 20, + - 30, * / % 60, ^ 70
  // (right), ?? 80, unary minus above all, `not` 50.
  NodePtr binary(int min_precedence);

  NodePtr unary();

  NodePtr postfix(NodePtr base);
  /// `receiver.name(args...)`, the `(` current.
  NodePtr method(NodePtr receiver, const std::string& name, std::uint32_t pos);
  /// `left or right` (or `and`) as one flat node when `left` is already such a chain, so that a
  /// cell listing 300 countries is not 300 levels deep.
  NodePtr chain(NodeKind kind, std::uint32_t pos, NodePtr left, NodePtr right);
  /// `a, b, ...)` into `call`'s children, the `(` consumed.
  void arguments(Node& call);

  // Inside brackets and calls, `and`, `or` and `,` are operators again even in a unary test.
  struct Nested {
    explicit Nested(Parser& p) : p_(p), saved_(p.in_unary_pair_) { p_.in_unary_pair_ = false; }
    ~Nested() { p_.in_unary_pair_ = saved_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;
    Parser& p_;
    bool saved_;
  };

  NodePtr primary();

  // `(e)`, `[a, b]`, and the intervals `[a..b]`, `(a..b)`, `[a..b)`, `(a..b]`.
  NodePtr bracketed(const Token& open);

  NodePtr object(std::uint32_t pos);

  NodePtr call(const Token& name);

  NodePtr template_string(const Token& t);

  // One test of a unary cell: `op expr` against `$`, or an expression whose kind says how it
  // tests `$` (equal to it, contains it, or true).
  NodePtr unary_pair();

  static UnaryUse use_of(const Node& n);

  std::string_view full_;
  std::vector<Token> tokens_;
  std::size_t i_ = 0;
  int depth_ = 0;
  bool in_unary_pair_ = false;  // `and`, `or` and `,` join tests instead of operands
};

}  // namespace lg::zen
