// libFuzzer target for JDM decision models: any bytes must either be refused (GraphError) or,
// when they read as a JDM graph, build into an executor or be refused naming the problem
// (GraphError), and a built decision must run to a result or an ExecutionError on a fixed
// input. Any other exception, a sanitizer finding, a hang (libFuzzer's -timeout) or a crash is
// reported. Sub-decisions come from a loader that gives one small model, so no file is read.

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/engine/exec/runtime.hpp>
#include <logic_graph/engine/graph/graph_def.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>
#include <logic_graph/nodes/jdm.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace {

const char* const child_model = R"json({
  "nodes": [{"id": "in", "name": "in", "type": "inputNode"},
            {"id": "x", "name": "x", "type": "expressionNode",
             "content": {"expressions": [{"id": "1", "key": "y", "value": "a + 1"}]}}],
  "edges": [{"id": "1", "sourceId": "in", "targetId": "x"}]})json";

const lg::NodeRegistry& registry() {
  static const lg::NodeRegistry nodes = [] {
    lg::NodeRegistry r = lg::builtin_nodes();
    lg::jdm::set_loader(r, [](const std::string& key, const lg::GraphDef&) {
      return lg::GraphDef::parse(child_model, key);
    });
    return r;
  }();
  return nodes;
}

// One worker for every decision: starting a pool per input would cost more than the decision.
const std::shared_ptr<lg::Runtime>& runtime() {
  static const auto shared = std::make_shared<lg::Runtime>(lg::RuntimeOptions{.threads = 1});
  return shared;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<lg::GraphDef> model;
  try {
    model.emplace(lg::GraphDef::parse(text, "fuzz.json"));
  } catch (const lg::GraphError&) {
    return 0;
  }
  if (model->result.empty()) {
    return 0;  // a native graph: fuzz_graph_def's part
  }
  std::optional<lg::Executor> executor;
  try {
    executor.emplace(*model, registry(), lg::ExecutorOptions{.runtime = runtime()});
  } catch (const lg::GraphError&) {
    return 0;  // a bad config, named
  }
  const nlohmann::json input = {{"a", 1},
                                {"b", "text"},
                                {"items", {1, 2.5, "x", nullptr, {{"k", true}}}},
                                {"order", {{"total", 120}, {"country", "US"}}}};
  try {
    const lg::ExecutionResult run = executor->run(input);
    if (const lg::zen::SharedValue* decision = lg::jdm::decision(run, *model)) {
      (void)decision->dump();  // the result written out, and converted to JSON
      (void)decision->to_json();
    }
  } catch (const lg::ExecutionError&) {
    // A node failed, and the error says which: expected for many models.
  }
  return 0;
}
