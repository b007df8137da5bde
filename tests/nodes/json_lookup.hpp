#pragma once

#include <logic_graph/engine/expr/key_lookup.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace lg::test {

/// The keys of a JSON object, as an expression reads them.
class JsonLookup final : public KeyLookup {
 public:
  explicit JsonLookup(nlohmann::json object) : object_(std::move(object)) {}
  [[nodiscard]] const nlohmann::json* find(std::string_view key) const noexcept override {
    const auto found = object_.find(std::string(key));
    return found == object_.end() ? nullptr : &*found;
  }

 private:
  nlohmann::json object_;
};

}  // namespace lg::test
