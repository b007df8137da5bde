#include "decisions/unary_test.hpp"

#include "decisions/cell_text.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <utility>

namespace lg::detail {
namespace {

/// The number `value` as a double the index can compare exactly, or nothing.
std::optional<double> exact_number(const nlohmann::json& value) {
  double x = 0;
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    x = static_cast<double>(value.get<std::int64_t>());
  } else if (value.is_number_unsigned()) {
    x = static_cast<double>(value.get<std::uint64_t>());
  } else if (value.is_number_float()) {
    x = value.get<double>();
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(x) || std::fabs(x) >= exact_double_limit) {
    return std::nullopt;
  }
  return x;
}

bool indexable_value(const nlohmann::json& value) {
  return value.is_string() || value.is_boolean() || value.is_null() ||
         exact_number(value).has_value();
}

/// `error` (about `part`'s text) as an error about the whole cell.
[[noreturn]] void rethrow_in_cell(const ExpressionError& error, std::string_view cell,
                                  std::size_t offset) {
  const std::string prefix =
      "at " + std::to_string(error.position()) + " in '" + error.expression() + "': ";
  std::string_view reason = error.what();
  if (reason.starts_with(prefix)) {
    reason.remove_prefix(prefix.size());
  }
  throw ExpressionError(std::string(cell), offset + error.position(), reason);
}

/// One test of a cell (`> 5`, `[1..3]`, `'GB'`), as graph-language text on `$`, and its
/// constant form when it has one.
struct Atom {
  Atom() = default;
  explicit Atom(std::string native) : text(std::move(native)) {}

  std::string text;
  bool constant = false;
  std::vector<nlohmann::json> values;
  std::optional<Interval> interval;
};

class CellCompiler {
 public:
  explicit CellCompiler(std::string_view cell) : cell_(cell) {}

  UnaryTest compile() {
    UnaryTest test;
    const CellPart whole = trimmed({cell_, 0});
    test.constant = true;
    for (const CellPart& alternative : split_at_commas(whole)) {
      const std::vector<CellPart> any_of = split_at_word(alternative, "or");
      std::string alternative_text;
      for (const CellPart& either : any_of) {
        const std::vector<CellPart> all_of = split_at_word(either, "and");
        std::string either_text;
        for (const CellPart& part : all_of) {
          Atom atom = read_atom(part);
          either_text += (either_text.empty() ? "(" : " && (") + atom.text + ")";
          if (any_of.size() == 1 && all_of.size() == 1 && atom.constant) {
            for (auto& value : atom.values) {
              test.values.push_back(std::move(value));
            }
            if (atom.interval) {
              test.intervals.push_back(*atom.interval);
            }
          } else {
            test.constant = false;
          }
        }
        alternative_text += (alternative_text.empty() ? "(" : " || (") + either_text + ")";
      }
      test.alternatives.push_back(parse({alternative_text, 0}));
    }
    if (!test.constant) {
      test.values.clear();
      test.intervals.clear();
    }
    return test;
  }

 private:
  Expression parse(CellPart part) const {
    try {
      return Expression::parse(with_operator_words(part.text));
    } catch (const ExpressionError& e) {
      rethrow_in_cell(e, cell_, part.offset);
    }
  }

  /// The value of `part` when it reads nothing (evaluated once here), else nothing.
  std::optional<nlohmann::json> constant_value(CellPart part) const {
    const Expression expression = parse(part);
    if (!expression.referenced_keys().empty()) {
      return std::nullopt;
    }
    try {
      return expression.evaluate(Context{});
    } catch (const ExpressionError&) {
      return std::nullopt;  // it fails every time it is tested: the expression says so
    }
  }

  [[noreturn]] void fail(std::size_t offset, std::string_view reason) const {
    throw ExpressionError(std::string(cell_), offset, reason);
  }

  Atom read_atom(CellPart part) const {
    if (part.text.empty()) {
      fail(part.offset, "expected a test");
    }
    if (word_at(part.text, 0, "not")) {
      const CellPart rest = trimmed({part.text.substr(3), part.offset + 3});
      if (word_at(rest.text, 0, "in")) {
        Atom atom = membership(trimmed({rest.text.substr(2), rest.offset + 2}));
        return Atom("!(" + atom.text + ")");
      }
    }
    if (word_at(part.text, 0, "in")) {
      return membership(trimmed({part.text.substr(2), part.offset + 2}));
    }
    for (const std::string_view op : {">=", "<=", "!=", "==", ">", "<"}) {
      if (part.text.starts_with(op)) {
        return comparison(op, trimmed({part.text.substr(op.size()), part.offset + op.size()}));
      }
    }
    if (Atom range; interval(part, range)) {
      return range;
    }
    return comparison("==", part);
  }

  Atom comparison(std::string_view op, CellPart operand) const {
    if (operand.text.empty()) {
      fail(operand.offset, "expected a value after '" + std::string(op) + "'");
    }
    Atom atom("$ " + std::string(op) + " (" + with_operator_words(operand.text) + ")");
    const std::optional<nlohmann::json> value = constant_value(operand);
    if (!value) {
      return atom;
    }
    if (op == "==") {
      atom.constant = indexable_value(*value);
      atom.values.push_back(*value);
    } else if (const std::optional<double> x = exact_number(*value); x && op != "!=") {
      Interval range;
      (op[0] == '>' ? range.low : range.high) = *x;
      (op[0] == '>' ? range.low_open : range.high_open) = op.size() == 1;
      atom.constant = true;
      atom.interval = range;
    }
    return atom;
  }

  /// `in [a..b]`, `in [1, 2]`, `in list`.
  Atom membership(CellPart operand) const {
    if (Atom range; interval(operand, range)) {
      return range;
    }
    if (operand.text.empty()) {
      fail(operand.offset, "expected a list or an interval after 'in'");
    }
    Atom atom("$ in (" + with_operator_words(operand.text) + ")");
    const std::optional<nlohmann::json> list = constant_value(operand);
    if (list && list->is_array()) {
      atom.constant = true;
      for (const auto& element : *list) {
        atom.constant = atom.constant && indexable_value(element);
        atom.values.push_back(element);
      }
    }
    return atom;
  }

  /// `[a..b]`, `(a..b)`, `[a..b)`, `(a..b]`: into `atom` when `part` is one.
  bool interval(CellPart part, Atom& atom) const {
    const std::string_view text = part.text;
    if (text.size() < 2 || (text.front() != '[' && text.front() != '(') ||
        (text.back() != ']' && text.back() != ')')) {
      return false;
    }
    const std::string_view inside = text.substr(1, text.size() - 2);
    const std::size_t dots = find_range_dots(inside);
    if (dots == std::string_view::npos) {
      return false;
    }
    const CellPart low = trimmed({inside.substr(0, dots), part.offset + 1});
    const CellPart high = trimmed({inside.substr(dots + 2), part.offset + 1 + dots + 2});
    if (low.text.empty() || high.text.empty()) {
      fail(low.text.empty() ? low.offset : high.offset, "expected an end of the interval");
    }
    Interval range;
    range.low_open = text.front() == '(';
    range.high_open = text.back() == ')';
    atom.text = "$ " + std::string(range.low_open ? ">" : ">=") + " (" +
                with_operator_words(low.text) + ") && $ " + (range.high_open ? "<" : "<=") + " (" +
                with_operator_words(high.text) + ")";
    const std::optional<nlohmann::json> low_value = constant_value(low);
    const std::optional<nlohmann::json> high_value = constant_value(high);
    const std::optional<double> low_x = low_value ? exact_number(*low_value) : std::nullopt;
    const std::optional<double> high_x = high_value ? exact_number(*high_value) : std::nullopt;
    if (low_x && high_x) {
      range.low = *low_x;
      range.high = *high_x;
      atom.constant = true;
      atom.interval = range;
    }
    return true;
  }

  std::string_view cell_;
};

/// `$` as the cell's subject, everything else from the node's context.
class SubjectLookup final : public KeyLookup {
 public:
  SubjectLookup(const nlohmann::json& subject, const KeyLookup& rest) noexcept
      : subject_(subject), rest_(rest) {}
  [[nodiscard]] const nlohmann::json* find(std::string_view key) const noexcept override {
    return key == "$" ? &subject_ : rest_.find(key);
  }

 private:
  const nlohmann::json& subject_;
  const KeyLookup& rest_;
};

}  // namespace

bool UnaryTest::matches(const nlohmann::json& subject, const KeyLookup& rest) const {
  if (any) {
    return true;
  }
  const SubjectLookup lookup(subject, rest);
  for (const Expression& alternative : alternatives) {
    try {
      if (alternative.test(lookup)) {
        return true;
      }
    } catch (const ExpressionError&) {
      // a type error, say: this alternative does not hold
    }
  }
  return false;
}

UnaryTest compile_unary_test(std::string_view cell, bool has_subject) {
  UnaryTest test;
  if (trimmed({cell, 0}).text.empty()) {
    test.any = true;
    return test;
  }
  if (!has_subject || names_subject(cell)) {
    try {
      test.alternatives.push_back(Expression::parse(with_operator_words(cell)));
    } catch (const ExpressionError& e) {
      rethrow_in_cell(e, cell, 0);
    }
    return test;
  }
  return CellCompiler(cell).compile();
}

}  // namespace lg::detail
