#pragma once

#include <logic_graph/engine/context/context.hpp>
#include <logic_graph/engine/expr/key_lookup.hpp>
#include "expr/program.hpp"
#include "expr/value.hpp"

#include <cstdint>
#include <string_view>

namespace lg::detail {

/// One evaluation of a program against a context. Holds only references, so it costs nothing
/// to create; recursion is bounded by the tree depth the parser allows.
class Evaluator {
 public:
  /// `overlay`, when given, is consulted before `ctx` for top-level keys.
  Evaluator(const Program& program, const Context& ctx, const Context* overlay = nullptr) noexcept
      : program_(program), ctx_(&ctx), overlay_(overlay) {}
  /// Finds top-level keys through `lookup`.
  Evaluator(const Program& program, const KeyLookup& lookup) noexcept
      : program_(program), lookup_(&lookup) {}

  /// The value of node `index`; borrows from the context and the program where it can.
  [[nodiscard]] Value eval(std::uint32_t index) const;
  /// What `path` (a NodeKind::path node) points at in the context, or nullptr when a key,
  /// field or index along the way is missing.
  [[nodiscard]] const nlohmann::json* resolve(const Node& path) const;

  [[nodiscard]] const Program& program() const noexcept { return program_; }
  /// Throws ExpressionError pointing at `at`.
  [[noreturn]] void fail(const Node& at, std::string_view reason) const;

 private:
  /// The value of top-level key `key`.
  [[nodiscard]] const nlohmann::json* top(std::string_view key) const noexcept;

  const Program& program_;
  const Context* ctx_ = nullptr;
  const Context* overlay_ = nullptr;
  const KeyLookup* lookup_ = nullptr;  // used instead of ctx_ and overlay_ when set
};

}  // namespace lg::detail
