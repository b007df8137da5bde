#include "expr/evaluator.hpp"

#include <logic_graph/engine/expr/expression.hpp>
#include "expr/builtins.hpp"
#include "expr/operators.hpp"

#include <cmath>
#include <string>
#include <utility>

namespace lg::detail {

namespace {

using Json = nlohmann::json;

const Json* field(const Json* j, std::string_view name) noexcept {
  if (!j->is_object()) {
    return nullptr;
  }
  // The object map compares with std::less<>, so a string_view finds without a std::string.
  const auto& object = j->get_ref<const Json::object_t&>();
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &it->second;
}

const Json* element(const Json* j, std::int64_t index) noexcept {
  if (!j->is_array() || index < 0) {
    return nullptr;
  }
  const auto& array = j->get_ref<const Json::array_t&>();
  return static_cast<std::uint64_t>(index) < array.size() ? &array[static_cast<std::size_t>(index)]
                                                          : nullptr;
}

}  // namespace

void Evaluator::fail(const Node& at, std::string_view reason) const {
  throw ExpressionError(program_.text, at.pos, reason);
}

const Json* Evaluator::top(std::string_view key) const noexcept {
  if (lookup_ != nullptr) {
    return lookup_->find(key);
  }
  const Json* found = overlay_ != nullptr ? overlay_->get(key) : nullptr;
  return found != nullptr ? found : ctx_->get(key);
}

const Json* Evaluator::resolve(const Node& path) const {
  const Json* current = top(program_.names[path.lhs]);
  for (std::uint32_t i = 0; i < path.count && current != nullptr; ++i) {
    const Segment& segment = program_.segments[path.first + i];
    switch (segment.kind) {
      case Segment::Kind::field:
        current = field(current, program_.names[segment.name]);
        break;
      case Segment::Kind::index:
        current = element(current, segment.index);
        break;
      case Segment::Kind::computed: {
        // A key that is neither a string nor a whole number finds nothing, like a missing key;
        // nor does an unsigned one, above any array's size.
        const Value key = eval(segment.node);
        if (key.is_string()) {
          current = field(current, key.as_string());
        } else if (key.kind() == Value::Kind::integer) {
          current = element(current, key.as_int());
        } else if (key.kind() == Value::Kind::real && std::trunc(key.as_real()) == key.as_real() &&
                   std::abs(key.as_real()) < 9.0e18) {
          current = element(current, static_cast<std::int64_t>(key.as_real()));
        } else {
          current = nullptr;
        }
        break;
      }
    }
  }
  return current;
}

Value Evaluator::eval(std::uint32_t index) const {
  const Node& node = program_.nodes[index];
  switch (node.kind) {
    case NodeKind::null_literal:
      return Value();
    case NodeKind::bool_literal:
      return Value::boolean(node.boolean);
    case NodeKind::int_literal:
      return Value::integer(node.integer);
    case NodeKind::unsigned_literal:
      return Value::unsigned_integer(static_cast<std::uint64_t>(node.integer));
    case NodeKind::real_literal:
      return Value::real(node.real);
    case NodeKind::constant:
      return Value::borrow(program_.constants[node.constant]);
    case NodeKind::array: {
      Json array = Json::array();
      auto& elements = array.get_ref<Json::array_t&>();
      elements.reserve(node.count);
      for (std::uint32_t i = 0; i < node.count; ++i) {
        elements.push_back(eval(program_.args[node.first + i]).materialize());
      }
      return Value::own(std::move(array));
    }
    case NodeKind::path: {
      const Json* found = resolve(node);
      return found != nullptr ? Value::borrow(*found) : Value();
    }
    case NodeKind::unary:
      return apply_unary(*this, node, eval(node.lhs));
    case NodeKind::binary: {
      const Value lhs = eval(node.lhs);
      return apply_binary(*this, node, lhs, eval(node.rhs));
    }
    case NodeKind::logical_and:
      return Value::boolean(eval(node.lhs).truthy() && eval(node.rhs).truthy());
    case NodeKind::logical_or:
      return Value::boolean(eval(node.lhs).truthy() || eval(node.rhs).truthy());
    case NodeKind::conditional:
      return eval(node.lhs).truthy() ? eval(node.rhs) : eval(node.third);
    case NodeKind::call:
      return call_builtin(*this, node);
  }
  return Value();
}

}  // namespace lg::detail
