#include "zen/zen_evaluator.hpp"

#include "zen/zen_date.hpp"
#include "zen/zen_functions.hpp"
#include "zen/zen_operators.hpp"
#include "zen/zen_strings.hpp"

#include <logic_graph/engine/expr/expression.hpp>

#include <fmt/format.h>

#include <stdexcept>

namespace lg::zen {
namespace {

// Closures over large arrays and intervals can nest; a bound on the work keeps any accepted
// expression from running for hours.
constexpr std::uint64_t max_steps = 5'000'000;

struct Scope {
  std::string_view alias;  // empty: only `#` names the element
  const Value* element;
};

class Evaluator {
 public:
  Evaluator(std::string_view text, const Value& env, std::span<const Local> locals)
      : text_(text), env_(&env), locals_(locals) {}

  /// Where the evaluation is, for errors raised by value limits (std::length_error).
  [[nodiscard]] std::uint32_t position() const noexcept { return pos_; }

  Value eval(const Node& n) {
    if (++steps_ > max_steps) {
      fail(n, fmt::format("evaluation took more than {} steps", max_steps));
    }
    pos_ = n.pos;
    switch (n.kind) {
      case NodeKind::literal:
        return n.value;
      case NodeKind::identifier:
        return identifier(n);
      case NodeKind::root:
        return *env_;
      case NodeKind::pointer:
        if (scopes_.empty()) {
          fail(n, "'#' is only defined inside a closure such as map(items, # * 2)");
        }
        return *scopes_.back().element;
      case NodeKind::member:
        return member(n);
      case NodeKind::slice:
        return slice(n);
      case NodeKind::negate: {
        const Value v = eval(*n.kids[0]);
        if (!v.is_number()) {
          fail(n, fmt::format("cannot negate {}", v.type_name()));
        }
        return Value::number(v.as_number().negated());
      }
      case NodeKind::logical_not: {
        const Value v = eval(*n.kids[0]);
        if (!v.is_bool()) {
          fail(n, fmt::format("'not' needs a bool, not {}", v.type_name()));
        }
        return Value::boolean(!v.as_bool());
      }
      case NodeKind::logical_and:
      case NodeKind::logical_or: {
        // A chain `a or b or c` is one node: every operand but the last must be a bool; the
        // last one's value is the result, as in ZEN.
        const bool stop_at = n.kind == NodeKind::logical_or;
        for (std::size_t i = 0; i + 1 < n.kids.size(); ++i) {
          Value left = eval(*n.kids[i]);
          if (!left.is_bool()) {
            fail(n, fmt::format("'{}' needs a bool on its left, not {}",
                                n.kind == NodeKind::logical_and ? "and" : "or", left.type_name()));
          }
          if (left.as_bool() == stop_at) {
            return left;
          }
        }
        return eval(*n.kids.back());
      }
      case NodeKind::nullish: {
        Value left = eval(*n.kids[0]);
        return left.is_null() ? eval(*n.kids[1]) : left;
      }
      case NodeKind::conditional: {
        const Value c = eval(*n.kids[0]);
        if (!c.is_bool()) {
          fail(n, fmt::format("the condition of '?' must be a bool, not {}", c.type_name()));
        }
        return eval(*n.kids[c.as_bool() ? 1 : 2]);
      }
      case NodeKind::binary:
        return binary(n);
      case NodeKind::array:
        return Value::array(children(n));
      case NodeKind::object:
        return object(n);
      case NodeKind::interval:
        return interval(n);
      case NodeKind::template_string: {
        std::string out;
        for (const auto& k : n.kids) {
          const Value part = eval(*k);
          try {
            const std::string text = to_text(part);
            if (out.size() + text.size() > max_string_bytes) {
              fail(*k, fmt::format("a template longer than {} bytes", max_string_bytes));
            }
            out += text;
          } catch (const CallError& e) {
            fail(*k, fmt::format("a template part: {}", e.what()));
          }
        }
        return Value::string(std::move(out));
      }
      case NodeKind::call:
        return call(n);
      case NodeKind::closure:
        return closure(n);
      case NodeKind::assignments:
        return assignments(n);
      case NodeKind::method:
        return method(n);
    }
    return Value();
  }

 private:
  [[noreturn]] void fail(const Node& n, std::string reason) const {
    throw ExpressionError(std::string(text_), n.pos, reason);
  }

  Value identifier(const Node& n) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (!it->alias.empty() && it->alias == n.name) {
        return *it->element;
      }
    }
    for (const Local& local : locals_) {
      if (local.name == n.name) {
        return *local.value;
      }
    }
    return env_->member(n.name);
  }

  Value member(const Node& n) {
    const Value base = eval(*n.kids[0]);
    const Value key = eval(*n.kids[1]);
    if (base.is_object() && key.is_string()) {
      return base.member(key.as_string());
    }
    if (key.is_number() && (base.is_array() || base.is_string())) {
      const auto i = key.as_number().to_int64();
      const auto size = static_cast<std::int64_t>(base.is_array() ? base.as_array().size()
                                                                  : utf8_length(base.as_string()));
      if (!i) {
        return Value();
      }
      const std::int64_t at = *i < 0 ? *i + size : *i;
      if (at < 0 || at >= size) {
        return Value();
      }
      if (base.is_array()) {
        return base.as_array()[static_cast<std::size_t>(at)];
      }
      return Value::string(utf8_slice(base.as_string(), static_cast<std::size_t>(at),
                                      static_cast<std::size_t>(at) + 1));
    }
    return Value();
  }

  Value slice(const Node& n) {
    const Value base = eval(*n.kids[0]);
    if (!base.is_array() && !base.is_string()) {
      fail(n, fmt::format("only strings and arrays can be sliced, not {}", base.type_name()));
    }
    const std::size_t size =
        base.is_array() ? base.as_array().size() : utf8_length(base.as_string());
    const auto bound = [&](std::size_t k, bool present, std::size_t fallback) -> std::size_t {
      if (!present) {
        return fallback;
      }
      const Value v = eval(*n.kids[k]);
      const auto i = v.is_number() ? v.as_number().to_int64() : std::nullopt;
      if (!i) {
        fail(*n.kids[k], "a slice bound must be a whole number");
      }
      return *i < 0 ? 0 : static_cast<std::size_t>(*i) > size ? size : static_cast<std::size_t>(*i);
    };
    const std::size_t from = bound(1, n.flag_a, 0);
    // ZEN's upper bound is inclusive: "sample_string"[0:5] is "sample".
    const std::size_t to = n.flag_b ? std::min(bound(2, true, size) + 1, size) : size;
    if (base.is_string()) {
      return Value::string(utf8_slice(base.as_string(), from, to));
    }
    const auto& a = base.as_array();
    return Value::array(from >= to ? Array{}
                                   : Array(a.begin() + static_cast<std::ptrdiff_t>(from),
                                           a.begin() + static_cast<std::ptrdiff_t>(to)));
  }

  Value binary(const Node& n) {
    const Value a = eval(*n.kids[0]);
    const Value b = eval(*n.kids[1]);
    try {
      return apply(n.op, a, b);
    } catch (const CallError& e) {
      fail(n, e.what());
    }
  }

  Value object(const Node& n) {
    Object out;
    for (std::size_t i = 0; i + 1 < n.kids.size(); i += 2) {
      const Value key = eval(*n.kids[i]);
      if (!key.is_string() && !key.is_number()) {
        fail(*n.kids[i], fmt::format("an object key must be a string, not {}", key.type_name()));
      }
      out.insert_or_assign(key.is_string() ? key.as_string() : to_text(key), eval(*n.kids[i + 1]));
    }
    return Value::object(std::move(out));
  }

  Value interval(const Node& n) {
    const Value lo = eval(*n.kids[0]);
    const Value hi = eval(*n.kids[1]);
    if (!(lo.is_number() && hi.is_number()) && !(lo.is_date() && hi.is_date())) {
      fail(n, fmt::format("an interval needs two numbers or two dates, not {} and {}",
                          lo.type_name(), hi.type_name()));
    }
    return Value::interval(Interval{lo, hi, n.flag_a, n.flag_b});
  }

  std::vector<Value> children(const Node& n) {
    std::vector<Value> values;
    values.reserve(n.kids.size());
    for (const auto& k : n.kids) {
      values.push_back(eval(*k));
    }
    return values;
  }

  Value call(const Node& n) {
    const std::vector<Value> args = children(n);
    try {
      return function_at(n.function).impl(args);
    } catch (const CallError& e) {
      fail(n, e.what());
    }
  }

  Value method(const Node& n) {
    const std::vector<Value> values = children(n);
    if (!values[0].is_date()) {
      fail(n, fmt::format("{} has no method '{}'", values[0].type_name(), n.name));
    }
    try {
      return call_date_method(values[0].as_date(), n.name, values.data() + 1, values.size() - 1);
    } catch (const CallError& e) {
      fail(n, e.what());
    }
  }

  // The whole numbers of an interval, which a closure walks as it walks an array.
  Array interval_elements(const Node& n, const Value& interval) const {
    const Interval& iv = interval.as_interval();
    auto lo = iv.low.as_number().rounded(0, Decimal::Rounding::ceil).to_int64();
    auto hi = iv.high.as_number().rounded(0, Decimal::Rounding::floor).to_int64();
    constexpr std::uint64_t longest = 1'000'000;
    if (!lo || !hi ||
        (*hi >= *lo &&
         static_cast<std::uint64_t>(*hi) - static_cast<std::uint64_t>(*lo) >= longest)) {
      fail(n, "the interval is too large to iterate");
    }
    Array out;
    for (std::int64_t i = *lo; *hi >= *lo; ++i) {  // the bound checked before ++ overflows
      Value x = Value::number(Decimal::from_int(i));
      if (contains(x, interval)) {
        out.push_back(std::move(x));
      }
      if (i == *hi) {
        break;
      }
    }
    return out;
  }

  Value closure(const Node& n) {
    // An array is walked where it is (`source` keeps it alive); an interval's numbers are built.
    const Value source = eval(*n.kids[0]);
    Array built;
    if (source.is_interval() && source.as_interval().low.is_number()) {
      built = interval_elements(n, source);
    } else if (!source.is_array()) {
      fail(n, fmt::format("a closure function needs an array, not {}", source.type_name()));
    }
    const Array& items = source.is_array() ? source.as_array() : built;
    // Walking the elements is work too, even when the body stops early.
    steps_ += items.size();
    if (steps_ > max_steps) {
      fail(n, fmt::format("evaluation took more than {} steps", max_steps));
    }
    const auto kind = static_cast<ClosureKind>(n.function);
    Array mapped;
    std::size_t hits = 0;
    for (const auto& item : items) {
      scopes_.push_back(Scope{n.name, &item});
      Value r;
      try {
        r = eval(*n.kids[1]);
      } catch (...) {
        scopes_.pop_back();
        throw;
      }
      scopes_.pop_back();
      if (kind == ClosureKind::map) {
        mapped.push_back(std::move(r));
        continue;
      }
      if (kind == ClosureKind::flat_map) {
        if (r.is_array()) {
          if (mapped.size() + r.as_array().size() > max_elements) {
            fail(n, fmt::format("flatMap(): more than {} elements", max_elements));
          }
          mapped.insert(mapped.end(), r.as_array().begin(), r.as_array().end());
        } else {
          mapped.push_back(std::move(r));
        }
        continue;
      }
      if (!r.is_bool()) {
        fail(*n.kids[1], fmt::format("the closure must give a bool, not {}", r.type_name()));
      }
      if (r.as_bool()) {
        ++hits;
        if (kind == ClosureKind::filter) {
          mapped.push_back(item);
        } else if (kind == ClosureKind::some) {
          return Value::boolean(true);
        } else if (kind == ClosureKind::none) {
          return Value::boolean(false);
        }
      } else if (kind == ClosureKind::all) {
        return Value::boolean(false);
      }
    }
    switch (kind) {
      case ClosureKind::some:
        return Value::boolean(false);
      case ClosureKind::all:
      case ClosureKind::none:
        return Value::boolean(true);
      case ClosureKind::one:
        return Value::boolean(hits == 1);
      case ClosureKind::count:
        return Value::number(Decimal::from_uint(hits));
      default:
        return Value::array(std::move(mapped));
    }
  }

  // `a.b = v; ...`: the bindings are seen by later statements over the environment; the
  // result is the last plain expression, or the object of what was assigned.
  Value assignments(const Node& n) {
    Value assigned = Value::object({});
    const Value* outer = env_;
    Value layered = *env_;
    const std::size_t pairs_end = n.flag_a ? n.kids.size() - 1 : n.kids.size();
    for (std::size_t i = 0; i + 2 <= pairs_end; i += 2) {
      env_ = &layered;
      Value v = eval(*n.kids[i + 1]);
      assigned = with_path(assigned, n.kids[i]->name, v);
      layered = with_path(layered.is_object() ? layered : Value::object({}), n.kids[i]->name, v);
    }
    env_ = &layered;
    Value result = n.flag_a ? eval(*n.kids.back()) : assigned;
    env_ = outer;
    return result;
  }

  static Value with_path(const Value& base, std::string_view path, const Value& v) {
    const auto dot = path.find('.');
    const std::string key(path.substr(0, dot));
    Object o = base.is_object() ? base.as_object() : Object{};
    if (dot == std::string_view::npos) {
      o.insert_or_assign(key, v);
    } else {
      o.insert_or_assign(key, with_path(base.member(key), path.substr(dot + 1), v));
    }
    return Value::object(std::move(o));
  }

  std::string_view text_;
  const Value* env_;
  std::span<const Local> locals_;
  std::vector<Scope> scopes_;
  std::uint64_t steps_ = 0;
  std::uint32_t pos_ = 0;
};

}  // namespace

Value evaluate(std::string_view text, const Node& root, const Value& env,
               std::span<const Local> locals) {
  Evaluator evaluator(text, env, locals);
  const BuildBudget budget(max_built_bytes);
  try {
    return evaluator.eval(root);
  } catch (const std::length_error& e) {
    throw ExpressionError(std::string(text), evaluator.position(),
                          fmt::format("the value would be too large: {}", e.what()));
  }
}

}  // namespace lg::zen
