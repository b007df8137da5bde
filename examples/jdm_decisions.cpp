// A GoRules JDM decision model, as ZEN's editor saves it, run by the Executor: many decisions
// at once on a shared runtime, the sub-decision it names found by a loader of our own.

#include <logic_graph/logic_graph.hpp>

#include <boost/asio/use_future.hpp>

#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

// A first-hit decision table and a sub-decision; kept short (the editor adds positions).
const char* const shipping_model = R"json({
  "nodes": [
    {"id": "in", "name": "request", "type": "inputNode"},
    {"id": "fee", "name": "fee", "type": "decisionTableNode", "content": {
      "hitPolicy": "first", "passThrough": true,
      "inputs": [{"id": "c", "field": "country"}, {"id": "w", "field": "weight"}],
      "outputs": [{"id": "f", "field": "fee"}],
      "rules": [{"c": "'US', 'CA'", "w": "<= 2", "f": "4.99"},
                {"c": "'US', 'CA'", "w": "", "f": "4.99 + (weight - 2) * 1.25"},
                {"c": "", "w": "", "f": "19.90"}]}},
    {"id": "tax", "name": "tax", "type": "decisionNode", "content": {
      "key": "tax.json", "passThrough": true, "outputPath": "tax"}},
    {"id": "out", "name": "response", "type": "outputNode"}
  ],
  "edges": [{"id": "1", "sourceId": "in", "targetId": "fee"},
            {"id": "2", "sourceId": "fee", "targetId": "tax"},
            {"id": "3", "sourceId": "tax", "targetId": "out"}]
})json";

const char* const tax_model = R"json({
  "nodes": [
    {"id": "in", "name": "request", "type": "inputNode"},
    {"id": "rate", "name": "rate", "type": "expressionNode", "content": {"expressions": [
      {"id": "1", "key": "rate", "value": "country == 'CA' ? 0.13 : 0"},
      {"id": "2", "key": "amount", "value": "round(fee * $.rate * 100) / 100"}]}}
  ],
  "edges": [{"id": "1", "sourceId": "in", "targetId": "rate"}]
})json";

}  // namespace

int main() {
  try {
    // [readme:jdm-decisions]
    // The model as ZEN's editor saves it; its decisionNode names "tax.json", which a loader
    // of our own finds (the default reads it beside the model's file).
    const lg::GraphDef model = lg::GraphDef::parse(shipping_model, "shipping.json");
    std::map<std::string, std::string> store = {{"tax.json", tax_model}};
    lg::NodeRegistry registry = lg::builtin_nodes();
    lg::jdm::set_loader(registry, [&store](const std::string& key, const lg::GraphDef&) {
      return lg::GraphDef::parse(store.at(key), key);
    });
    lg::Executor executor{model, registry, {.threads = 2}};

    // Many decisions in flight at once; ZEN's result is the result node's.
    std::vector<std::future<lg::ExecutionResult>> decisions;
    for (const auto& [country, weight] : {std::pair{"US", 1.5}, {"CA", 6.0}, {"FR", 3.0}}) {
      decisions.push_back(executor.async_execute({{"country", country}, {"weight", weight}},
                                                 boost::asio::use_future));
    }
    for (auto& decision : decisions) {
      const lg::ExecutionResult done = decision.get();
      std::cout << lg::jdm::decision(done, model)->dump() << '\n';  // exact decimals, as ZEN
    }
    // [/readme]
  } catch (const std::exception& e) {
    std::cerr << "jdm_decisions: " << e.what() << '\n';
    return 1;
  }
}
