#include "errors.hpp"

#include "command.hpp"

#include <logic_graph/engine/exec/execution_error.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <new>

namespace lg::cli {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) {
      return 0;
    }
  }
  return length;
}

}  // namespace

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      out += "; ";  // a multi-line message stays readable on one line
      ++i;
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += text[i];
      ++i;
    } else if (const std::size_t length = byte >= 0x80 ? utf8_length(text, i) : 0; length != 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += fmt::format("\\x{:02x}", byte);
      ++i;
    }
  }
  return out;
}

void print_error(std::string_view message, std::string_view who) {
  std::string line(who);
  line += ": ";
  line += one_line(message);
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

void print_diagnostics(const GraphError& error) {
  std::string text;
  for (const Diagnostic& diagnostic : error.diagnostics()) {
    text += one_line(diagnostic.to_string());
    text += '\n';
  }
  if (error.diagnostics().empty()) {
    text = one_line(error.what());
    text += '\n';
  }
  std::fputs(text.c_str(), stderr);
}

int report_exception(std::exception_ptr error) noexcept {
  try {
    try {
      std::rethrow_exception(std::move(error));
    } catch (const GraphError& e) {
      print_diagnostics(e);
      return exit_invalid;
    } catch (const InputError& e) {
      print_error(e.what());
      return exit_invalid;
    } catch (const ExecutionError& e) {
      print_error(e.what());
      return exit_failed;
    } catch (const std::bad_alloc&) {
      print_error("out of memory");
      return exit_failed;
    } catch (const std::exception& e) {
      print_error(e.what());
      return exit_failed;
    } catch (...) {
      print_error("unknown error");
      return exit_failed;
    }
  } catch (...) {
    // Printing itself failed (no memory for the message): the exit code still tells.
    return exit_failed;
  }
}

void write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    throw std::runtime_error("cannot write to stdout");
  }
}

void flush_stdout() {
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    throw std::runtime_error("cannot write to stdout");
  }
}

}  // namespace lg::cli
