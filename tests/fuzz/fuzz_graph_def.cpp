// libFuzzer target for the graph loader: any bytes, read as JSON and again as YAML, must either
// load as a graph or throw GraphError. A graph that loads must pass validate(), survive
// to_json() -> from_json() and a save as text -> parse() unchanged, and building an Executor
// from it must succeed or throw GraphError.
// Any other exception escapes to libFuzzer and is reported as a crash, as are sanitizer findings
// and a broken invariant (std::abort after a message on stderr).

#include <logic_graph/engine/graph/graph_def.hpp>

#include <logic_graph/engine/exec/executor.hpp>
#include <logic_graph/nodes/builtin_nodes.hpp>

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz_graph_def: %.*s%s%.*s\n", static_cast<int>(what.size()), what.data(),
               detail.empty() ? "" : ": ", static_cast<int>(detail.size()), detail.data());
  std::abort();
}

bool same_graph(const lg::GraphDef& a, const lg::GraphDef& b) {
  if (a.name != b.name || a.nodes.size() != b.nodes.size() || a.edges.size() != b.edges.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const lg::NodeDef& x = a.nodes[i];
    const lg::NodeDef& y = b.nodes[i];
    if (x.id != y.id || x.type != y.type || x.config != y.config) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.edges.size(); ++i) {
    const lg::EdgeDef& x = a.edges[i];
    const lg::EdgeDef& y = b.edges[i];
    if (x.from != y.from || x.to != y.to || x.when != y.when || x.label != y.label) {
      return false;
    }
  }
  return true;
}

// Reads `json` back, which must succeed and give the same graph: to_json() promises that.
void check_reads_back(const lg::GraphDef& graph, const nlohmann::json& json, bool as_text) {
  std::optional<lg::GraphDef> again;
  try {
    again.emplace(as_text ? lg::GraphDef::parse(json.dump(), "saved")
                          : lg::GraphDef::from_json(json, "saved"));
  } catch (const lg::GraphError& e) {
    fail(as_text ? "parse() rejects the saved text of a loaded graph"
                 : "from_json() rejects to_json() of a loaded graph",
         e.what());
  }
  if (!same_graph(graph, *again)) {
    fail(as_text ? "the saved text loads as a different graph"
                 : "from_json(to_json()) gives a different graph");
  }
  if (again->to_json() != json) {
    fail(as_text ? "the saved text loads back to different JSON"
                 : "to_json() differs after from_json(to_json())");
  }
}

// Built once: the registry is immutable and building it is not what is being fuzzed.
const lg::NodeRegistry& registry() {
  static const lg::NodeRegistry nodes = lg::builtin_nodes();
  return nodes;
}

// Never run, so executors built on it start no thread: an own one-thread pool (threads = 1)
// costs a thread start and join per graph, about 2 ms under ASan, which would cut the graphs
// tried per second threefold. The checks happen before the executor is chosen either way.
boost::asio::io_context& idle_io_context() {
  static boost::asio::io_context io;
  return io;
}

// The checks on a graph that loaded.
void check_loaded(const lg::GraphDef& graph) {
  // parse() runs the structural checks, so validate() must find nothing more.
  if (const auto problems = graph.validate(); !problems.empty()) {
    fail("validate() reports a problem in a graph parse() accepted", problems.front().to_string());
  }

  const nlohmann::json json = graph.to_json();
  check_reads_back(graph, json, false);
  check_reads_back(graph, json, true);

  // Checks node types, configs and expressions. Never run: a delay node could sleep.
  try {
    const lg::Executor executor(graph, registry(), {.executor = idle_io_context().get_executor()});
    if (executor.node_count() != graph.nodes.size()) {
      fail("the executor's node count differs from the graph's");
    }
  } catch (const lg::GraphError&) {
    // An unknown type, a bad config or an expression that does not parse: expected.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Most JSON is YAML too, so the JSON seeds reach the YAML reader as well.
  for (const lg::GraphFormat format : {lg::GraphFormat::json, lg::GraphFormat::yaml}) {
    std::optional<lg::GraphDef> graph;
    try {
      graph.emplace(lg::GraphDef::parse(text, "fuzz", format));
    } catch (const lg::GraphError&) {
      continue;  // rejected input: the expected outcome for most bytes
    }
    check_loaded(*graph);
  }
  return 0;
}
