// The README's C++ is code that compiles and runs: every ```cpp block of README.md is a region
// of an example program, marked `// [readme:NAME]` ... `// [/readme]`, which the example tests
// build and run. A block edited in the README alone, or a region changed in its example alone,
// fails here.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef LG_SOURCE_DIR
#error "LG_SOURCE_DIR must name the source tree"
#endif

namespace {

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  REQUIRE_MESSAGE(in.good(), "cannot read " << file.string());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    line.erase(line.find_last_not_of(" \t\r") + 1);
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> slice(const std::vector<std::string>& lines, std::size_t first,
                               std::size_t end) {
  return std::vector<std::string>(lines.begin() + static_cast<std::ptrdiff_t>(first),
                                  lines.begin() + static_cast<std::ptrdiff_t>(end));
}

// Lines without the indentation they all share.
std::string dedented(const std::vector<std::string>& lines) {
  std::size_t indent = std::string::npos;
  for (const std::string& line : lines) {
    if (!line.empty()) {
      indent = std::min(indent, line.find_first_not_of(' '));
    }
  }
  std::string text;
  for (const std::string& line : lines) {
    text += line.empty() ? line : line.substr(indent);
    text += '\n';
  }
  return text;
}

struct Excerpt {
  std::string where;  // file:line of its first line
  std::string text;
};

std::vector<Excerpt> readme_blocks() {
  const std::filesystem::path readme = std::filesystem::path(LG_SOURCE_DIR) / "README.md";
  const std::vector<std::string> lines = lines_of(readme);
  std::vector<Excerpt> blocks;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != "```cpp") {
      continue;
    }
    const std::size_t first = i + 1;
    std::size_t end = first;
    while (end < lines.size() && lines[end] != "```") {
      ++end;
    }
    REQUIRE_MESSAGE(end < lines.size(), "README.md:" << i + 1 << ": a ```cpp block never ends");
    blocks.push_back(
        {"README.md:" + std::to_string(first + 1), dedented(slice(lines, first, end))});
    i = end;
  }
  return blocks;
}

std::vector<Excerpt> marked_regions() {
  std::vector<Excerpt> regions;
  const std::filesystem::path examples = std::filesystem::path(LG_SOURCE_DIR) / "examples";
  for (const auto& entry : std::filesystem::directory_iterator(examples)) {
    if (entry.path().extension() != ".cpp") {
      continue;
    }
    const std::vector<std::string> lines = lines_of(entry.path());
    const std::string name = entry.path().filename().string();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].find("// [readme:") == std::string::npos) {
        continue;
      }
      std::size_t end = i + 1;
      while (end < lines.size() && lines[end].find("// [/readme]") == std::string::npos) {
        ++end;
      }
      REQUIRE_MESSAGE(end < lines.size(), name << ":" << i + 1 << ": a region never ends");
      regions.push_back({name + ":" + std::to_string(i + 1), dedented(slice(lines, i + 1, end))});
      i = end;
    }
  }
  return regions;
}

}  // namespace

TEST_SUITE("examples") {
  TEST_CASE("every C++ block of the README is a region of an example, and every region is used") {
    const std::vector<Excerpt> blocks = readme_blocks();
    const std::vector<Excerpt> regions = marked_regions();
    REQUIRE(!blocks.empty());
    REQUIRE(!regions.empty());
    const auto same_text = [](const std::string& text) {
      return [&text](const Excerpt& other) { return other.text == text; };
    };
    for (const Excerpt& block : blocks) {
      INFO(block.where, ":\n", block.text);
      CHECK_MESSAGE(std::any_of(regions.begin(), regions.end(), same_text(block.text)),
                    block.where << " is no example's marked region");
    }
    for (const Excerpt& region : regions) {
      CHECK_MESSAGE(std::any_of(blocks.begin(), blocks.end(), same_text(region.text)),
                    region.where << " is marked for the README but not in it");
    }
  }
}
