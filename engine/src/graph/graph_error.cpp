#include <logic_graph/engine/graph/graph_error.hpp>

#include <utility>

namespace lg {
namespace {

std::string describe(const std::vector<Diagnostic>& diagnostics) {
  if (diagnostics.empty()) {
    return "invalid graph";
  }
  if (diagnostics.size() == 1) {
    return diagnostics.front().to_string();
  }
  std::string text = std::to_string(diagnostics.size()) + " problems in the graph:";
  for (const Diagnostic& diagnostic : diagnostics) {
    text += "\n  ";
    text += diagnostic.to_string();
  }
  return text;
}

}  // namespace

std::string Diagnostic::to_string() const {
  if (where.empty()) {
    return message;
  }
  return where + ": " + message;
}

GraphError::GraphError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(describe(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace lg
