#pragma once

#include <logic_graph/engine/graph/graph_error.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lg::cli {

/// A problem with what the user gave (an argument, an unreadable or malformed file): nothing
/// ran; reported as one line, exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// `text` made safe for one line of a terminal: newlines, control bytes and invalid UTF-8
/// become escapes, so that binary garbage quoted in a message cannot garble the output.
[[nodiscard]] std::string one_line(std::string_view text);

/// Prints `who: message` on stderr as one line.
void print_error(std::string_view message, std::string_view who = "lgraph");

/// Prints every diagnostic on its own line on stderr (each names its file: GraphDef keeps the
/// source it was read from).
void print_diagnostics(const GraphError& error);

/// Prints the exception in flight (one line; a GraphError as one line per problem) and returns
/// its exit code: 2 for input and graph errors, 1 for everything else. Never throws.
[[nodiscard]] int report_exception(std::exception_ptr error) noexcept;

/// Writes `text` to stdout; throws std::runtime_error when the output cannot be written.
void write_stdout(std::string_view text);

/// Flushes stdout; throws std::runtime_error when it fails (a full disk, a closed pipe).
void flush_stdout();

}  // namespace lg::cli
