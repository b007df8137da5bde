#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace lg {

/// One problem found in a graph, naming where it is.
///
/// `where` starts with the source (a file name, or "graph") and points into it:
/// `graph.json: nodes[2] (id 'price')`, `graph.json: edges[1] (price -> notify): field 'to'`,
/// `graph.json: line 3, column 14`.
struct Diagnostic {
  /// The place: source, then the node, edge, field or text position.
  std::string where;
  /// What is wrong there.
  std::string message;

  /// `where: message`, in full.
  [[nodiscard]] std::string to_string() const;
};

/// Thrown when a graph is invalid; carries every problem found, not just the first.
///
/// what() lists them all, one a line, never shortened.
class GraphError : public std::runtime_error {
 public:
  /// An error reporting `diagnostics` (at least one is expected).
  explicit GraphError(std::vector<Diagnostic> diagnostics);

  /// Every problem found, in the order they were found.
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace lg
