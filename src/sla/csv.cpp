#include "csv.hpp"

namespace rapport::csv {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
  }

  bool Done() const { return pos_ >= text_.size(); }

  Record Next() {
    Record r{.line = line_};
    while (true) {
      std::string field;
      bool quoted = pos_ < text_.size() && text_[pos_] == '"';
      if (quoted ? !ReadQuoted(field, r) : !ReadPlain(field, r)) {
        SkipLine();
        return r;
      }
      r.fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return r;
      char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        continue;
      }
      EndLine();
      return r;
    }
  }

 private:
  bool AtLineEnd() const {
    return text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }

  void EndLine() {
    pos_ += text_[pos_] == '\r' ? 2 : 1;
    ++line_;
  }

  void SkipLine() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    if (pos_ < text_.size()) ++pos_;
    ++line_;
  }

  bool ReadPlain(std::string& field, Record& r) {
    while (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) {
      if (text_[pos_] == '"') {
        r.problem = "a quote inside an unquoted field (quote the whole field and double the quote)";
        return false;
      }
      field += text_[pos_++];
    }
    return true;
  }

  bool ReadQuoted(std::string& field, Record& r) {
    size_t start_line = line_;
    ++pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\n') ++line_;
      if (c != '"') {
        field += c;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '"') {
        field += '"';
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) {
        r.problem = "text after the closing quote of a field";
        return false;
      }
      return true;
    }
    r.problem =
        "a quoted field is never closed (it opens on line " + std::to_string(start_line) + ")";
    return false;
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

}  // namespace

std::vector<Record> Parse(std::string_view text, size_t max_records) {
  Parser parser(text);
  std::vector<Record> records;
  while (!parser.Done() && records.size() <= max_records) records.push_back(parser.Next());
  return records;
}

}  // namespace rapport::csv
