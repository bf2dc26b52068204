// JSON parsing with the limits untrusted input needs, and a reader that validates request bodies
// field by field, collecting every problem instead of stopping at the first.
#pragma once

#include <rapport/core/result.hpp>

#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapport {

// Parses `text` as one JSON value no deeper than `max_depth`. On failure returns
// kBodyValidation with a `json_invalid` problem naming the offset.
Result<boost::json::value> ParseJsonBody(std::string_view text, int max_depth);

// Serializes like boost::json::serialize, except that doubles are written in their shortest
// round-trip decimal form ("97.5", "100.0") rather than Boost's exponent form ("9.75E1").
std::string ToJson(const boost::json::value& value);

// Appends `text` as a JSON string literal, escaped exactly as boost::json::serialize escapes it
// (quote, backslash and control characters; other bytes as they are).
void AppendJsonString(std::string& out, std::string_view text);

struct StringRule {
  bool required = false;
  size_t min_length = 0;
  size_t max_length = 0;  // 0: no limit; lengths count Unicode code points
  bool nullable = false;  // JSON null is accepted (and reported as an empty optional with IsNull)
};

// Reads fields of one JSON object, recording a FieldProblem for each violation. Accessors return
// nullopt both when a field is absent and when it is invalid; `ok()` tells the two apart.
class BodyReader {
 public:
  BodyReader(const boost::json::object& object, std::string location);

  bool Has(std::string_view key) const;
  bool IsNull(std::string_view key) const;
  std::optional<std::string> String(std::string_view key, StringRule rule);
  std::optional<bool> Bool(std::string_view key, bool required);
  std::optional<int64_t> Int(std::string_view key, bool required, int64_t min, int64_t max);
  std::optional<std::vector<std::string>> StringList(std::string_view key, size_t max_items,
                                                     StringRule item_rule);
  std::optional<std::map<std::string, std::string>> StringMap(std::string_view key,
                                                              size_t max_entries,
                                                              StringRule key_rule,
                                                              StringRule value_rule);
  // Reads an array of objects, calling `each` with a reader for item i (located at key.i and
  // reporting into the same problem list). Returns false when the field is absent or invalid.
  bool ObjectList(std::string_view key, size_t max_items, bool required,
                  const std::function<void(BodyReader& item, size_t index)>& each);
  // Records `extra_forbidden` for every member not in `known`.
  void RejectUnknown(const std::vector<std::string_view>& known);

  void AddProblem(std::string_view key, std::string msg, std::string type);
  std::string Loc(std::string_view key) const;
  bool ok() const { return problems_->empty(); }
  std::vector<FieldProblem>& problems() { return *problems_; }
  const boost::json::object& object() const { return object_; }
  // A reader for a nested object that reports into the same problem list.
  BodyReader Nested(const boost::json::object& object, std::string_view key) const;

 private:
  BodyReader(const boost::json::object& object, std::string location,
             std::shared_ptr<std::vector<FieldProblem>> problems);
  bool CheckString(std::string_view loc_key, std::string_view value, const StringRule& rule);

  const boost::json::object& object_;
  std::string location_;
  std::shared_ptr<std::vector<FieldProblem>> problems_;
};

// Number of Unicode code points in valid UTF-8 `text`.
size_t Utf8Length(std::string_view text);

}  // namespace rapport
