#include "graph/yaml_text.hpp"

#include "graph/graph_text.hpp"
#include "graph/graph_where.hpp"
#include "graph/yaml_scalars.hpp"

#include <logic_graph/engine/graph/graph_error.hpp>
#include <logic_graph/engine/graph/json_text.hpp>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <istream>
#include <optional>
#include <streambuf>
#include <utility>

namespace lg::detail {
namespace {

using Json = nlohmann::json;

constexpr std::size_t value_bytes = 32;  // what a value costs, roughly, before its text

// The text as a stream for yaml-cpp, without a copy; only ever read.
class TextBuffer : public std::streambuf {
 public:
  explicit TextBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // the get area; nothing writes to it
    setg(begin, begin, begin + text.size());
  }
};

// A value built, with what the limits need to know about it.
struct Built {
  Json value;
  std::size_t bytes = value_bytes;  // roughly what it takes in memory
  std::size_t height = 0;           // levels of arrays and objects in it
};

// Line and column of offsets that mostly grow: each step scans only the text since the last.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  TextPosition at(std::size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < offset_) {
      return text_position(text_, offset);  // behind: an error's place, once
    }
    const std::string_view step_text = text_.substr(offset_, offset - offset_);
    const TextPosition step = text_position(step_text, step_text.size());
    position_.column = step.line == 1 ? position_.column + step.column - 1 : step.column;
    position_.line += step.line - 1;
    offset_ = offset;
    return position_;
  }

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  TextPosition position_;
};

class JsonBuilder final : public YAML::EventHandler {
 public:
  JsonBuilder(std::string_view text, std::string_view source, YamlLines* lines)
      : text_(text),
        bom_(text.starts_with("\xef\xbb\xbf") ? 3 : 0),
        source_(source),
        lines_(lines),
        cursor_(text) {}

  // The document's value; throws the key that is a collection, or the duplicate keys found,
  // all of them.
  Json take_result() {
    if (collection_key_) {
      throw GraphError({std::move(*collection_key_)});
    }
    if (!duplicates_.empty()) {
      throw GraphError(std::move(duplicates_));
    }
    return result_ ? std::move(*result_) : Json(nullptr);
  }

  // `source: line L, column C` for a mark of yaml-cpp's (just `source` for none).
  std::string place(const YAML::Mark& mark) {
    if (mark.pos < 0) {
      return std::string(source_);
    }
    const TextPosition at = position(mark);
    return fmt::format("{}: line {}, column {}", source_, at.line, at.column);
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      fail(mark, "a graph file holds one YAML document, and a second one starts here");
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    name_anchor(anchor);
    if (wants_key()) {
      // A plain null as a key: its text (`null: x`), or empty (`: x`).
      const std::string_view rest = text_.substr(std::min(offset(mark), text_.size()));
      std::string key;
      for (const char* word : {"null", "Null", "NULL", "~"}) {
        if (rest.starts_with(word)) {
          key = word;
        }
      }
      take_key(std::move(key), mark, anchor);
      return;
    }
    add({Json(nullptr)}, position(mark), anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    name_anchor(anchor);
    if (!is_utf8(value)) {
      fail(mark, "the text is not valid UTF-8");
    }
    if (wants_key()) {
      take_key(value, mark, anchor);
      return;
    }
    YamlScalar scalar = yaml_scalar(tag, value);
    if (!scalar.value) {
      fail(mark, std::move(scalar.problem));
    }
    add({std::move(*scalar.value), value_bytes + value.size()}, position(mark), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      fail(mark, fmt::format("the alias *{} is inside the node it names (a recursive alias)",
                             anchor_name(anchor)));
    }
    const Built& anchored = found->second;
    charge(anchored.bytes, position(mark));
    if (wants_key()) {
      if (anchored.value.is_structured()) {
        fail(mark, fmt::format("the alias *{} names a collection, and a key must be a scalar",
                               anchor_name(anchor)));
      }
      take_key(
          anchored.value.is_string() ? anchored.value.get<std::string>() : anchored.value.dump(),
          mark, 0);
      return;
    }
    if (stack_.size() + anchored.height > max_nesting) {
      fail(mark, fmt::format("the alias *{} nests its value deeper than {} levels",
                             anchor_name(anchor), max_nesting));
    }
    add(anchored, position(mark), 0);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    start(Json::array(), "seq", mark, tag, anchor);
  }
  void OnSequenceEnd() override { end(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    start(Json::object(), "map", mark, tag, anchor);
  }
  void OnMapEnd() override { end(); }

  void OnAnchor(const YAML::Mark& /*mark*/, const std::string& name) override {
    anchor_name_ = name;  // the next node's anchor
  }

 private:
  struct Frame {
    Built built;
    TextPosition at;
    YAML::anchor_t anchor = 0;
    bool is_key = false;   // a collection as a key: refused (once the text parses)
    bool has_key = false;  // a mapping's key waits for its value
    std::string key;
    TextPosition key_at;
    std::map<std::string, TextPosition, std::less<>> keys;  // a mapping's keys so far
  };

  std::size_t offset(const YAML::Mark& mark) const {
    return static_cast<std::size_t>(std::max(mark.pos, 0)) + bom_;
  }
  TextPosition position(const YAML::Mark& mark) { return cursor_.at(offset(mark)); }

  [[noreturn]] void fail(const YAML::Mark& mark, std::string message) {
    throw GraphError({{place(mark), std::move(message)}});
  }

  bool wants_key() const {
    return !stack_.empty() && stack_.back().built.value.is_object() && !stack_.back().has_key;
  }

  std::string anchor_name(YAML::anchor_t anchor) const {
    const auto found = anchor_names_.find(anchor);
    return found == anchor_names_.end() ? std::string("?") : printable(found->second);
  }

  // Counts a copy kept or made for an alias against max_yaml_alias_bytes.
  void charge(std::size_t bytes, TextPosition at) {
    alias_bytes_ += bytes;
    if (alias_bytes_ > max_yaml_alias_bytes) {
      throw GraphError({{fmt::format("{}: line {}, column {}", source_, at.line, at.column),
                         fmt::format("aliases copy more than {} MiB of values (a \"billion "
                                     "laughs\"?)",
                                     max_yaml_alias_bytes >> 20)}});
    }
  }

  void name_anchor(YAML::anchor_t anchor) {
    if (anchor != 0) {
      anchor_names_[anchor] = std::move(anchor_name_);
      anchor_name_.clear();
    }
  }

  void take_key(std::string key, const YAML::Mark& mark, YAML::anchor_t anchor) {
    Frame& top = stack_.back();
    top.key_at = position(mark);
    if (anchor != 0) {
      Built value{Json(key), value_bytes + key.size()};
      charge(value.bytes, top.key_at);
      anchors_.insert_or_assign(anchor, std::move(value));
    }
    top.key = std::move(key);
    top.has_key = true;
  }

  void start(Json empty, std::string_view kind, const YAML::Mark& mark, const std::string& tag,
             YAML::anchor_t anchor) {
    const bool is_key = wants_key();
    if (is_key && !collection_key_) {
      // Reported once the document ends: an unclosed flow collection looks like this too, and
      // yaml-cpp's message about it is the better one.
      collection_key_ = Diagnostic{
          place(mark),
          fmt::format("a key must be a scalar, not a {}", kind == "seq" ? "sequence" : "mapping")};
    }
    if (tag != "?" && tag != "!" && tag != fmt::format("tag:yaml.org,2002:{}", kind)) {
      fail(mark, fmt::format("the tag '{}' is not supported on a {}", printable(tag),
                             kind == "seq" ? "sequence" : "mapping"));
    }
    if (stack_.size() + 1 > max_nesting) {
      fail(mark, fmt::format("YAML nested deeper than {} levels", max_nesting));
    }
    name_anchor(anchor);
    Frame frame;
    frame.built = Built{std::move(empty), value_bytes, 1};
    frame.at = position(mark);
    frame.anchor = anchor;
    frame.is_key = is_key;
    stack_.push_back(std::move(frame));
  }

  void end() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.is_key) {
      Frame& top = stack_.back();
      top.key_at = frame.at;
      top.has_key = true;  // its value goes nowhere: the document is refused
      top.key.clear();
      return;
    }
    add(std::move(frame.built), frame.at, frame.anchor);
  }

  // `built` as the next item of the open sequence, the value of the open mapping's key, or the
  // document; remembered under `anchor` when it has one.
  void add(Built built, TextPosition at, YAML::anchor_t anchor) {
    if (anchor != 0) {
      charge(built.bytes, at);  // the copy kept for aliases
      anchors_.insert_or_assign(anchor, built);
    }
    if (stack_.empty()) {
      result_ = std::move(built.value);
      return;
    }
    Frame& top = stack_.back();
    top.built.height = std::max(top.built.height, built.height + 1);
    if (top.built.value.is_array()) {
      note_line(at.line);
      top.built.bytes += built.bytes;
      top.built.value.push_back(std::move(built.value));
      return;
    }
    top.has_key = false;
    if (const auto first = top.keys.find(top.key); first != top.keys.end()) {
      duplicates_.push_back(
          {fmt::format("{}: line {}, column {}", source_, top.key_at.line, top.key_at.column),
           fmt::format("duplicate key {}, already at line {}, column {} (YAML keys are unique)",
                       in_quotes(top.key), first->second.line, first->second.column)});
      return;  // the first stays
    }
    note_line(top.key_at.line);
    top.keys.emplace(top.key, top.key_at);
    top.built.bytes += built.bytes + top.key.size();
    top.built.value.emplace(top.key, std::move(built.value));
  }

  // The line of an entry of a top-level collection, for messages about it.
  void note_line(std::size_t line) {
    if (lines_ == nullptr || stack_.size() != 2 || !stack_.front().has_key) {
      return;
    }
    YamlLines::Entries& entries = lines_->top[stack_.front().key];
    const Frame& collection = stack_.back();
    if (collection.built.value.is_array()) {
      entries.items.push_back(line);
    } else {
      entries.keys.emplace(collection.key, line);
    }
  }

  std::string_view text_;
  std::size_t bom_;
  std::string_view source_;
  YamlLines* lines_;
  Cursor cursor_;
  std::vector<Frame> stack_;
  std::optional<Json> result_;
  std::size_t documents_ = 0;
  std::size_t alias_bytes_ = 0;
  std::map<YAML::anchor_t, Built> anchors_;  // complete anchored values, by yaml-cpp's id
  std::map<YAML::anchor_t, std::string> anchor_names_;
  std::string anchor_name_;
  std::vector<Diagnostic> duplicates_;
  std::optional<Diagnostic> collection_key_;
};

// UTF-16 and UTF-32 (which yaml-cpp would convert) are refused: graph files are UTF-8, and
// places are counted in it. Their NUL bytes give them away; YAML allows no NUL either.
void check_encoding(std::string_view text, std::string_view source) {
  const std::size_t nul = text.find('\0');
  const bool utf16_bom = text.starts_with("\xfe\xff") || text.starts_with("\xff\xfe");
  if (nul == std::string_view::npos && !utf16_bom) {
    return;
  }
  const TextPosition at = text_position(text, utf16_bom ? 0 : nul);
  throw GraphError({{fmt::format("{}: line {}, column {}", source, at.line, at.column),
                     utf16_bom ? "a YAML graph must be UTF-8, and this is UTF-16"
                               : "a NUL byte: a YAML graph must be UTF-8 text"}});
}

}  // namespace

Json parse_yaml_text(std::string_view text, std::string_view source, YamlLines* lines) {
  check_encoding(text, source);
  TextBuffer buffer(text);
  std::istream in(&buffer);
  JsonBuilder builder(text, source, lines);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& error) {
    throw GraphError({{builder.place(error.mark), "invalid YAML: " + error.msg}});
  }
  return builder.take_result();
}

}  // namespace lg::detail
