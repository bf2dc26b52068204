// RFC 4180 CSV: records of fields, quoted fields holding commas, doubled quotes and line breaks.
// Private to src/sla (the fault import reads it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rapport::csv {

struct Record {
  size_t line = 0;  // 1-based line the record starts on
  std::vector<std::string> fields;
  std::string problem;  // non-empty: the record is malformed (what is wrong)
};

// Splits `text` into records. Lines end in CRLF or LF; a trailing line break adds no record; a
// UTF-8 byte order mark at the start is skipped. A malformed record (a quote inside an unquoted
// field, text after a closing quote, a quoted field never closed) says so in `problem` and
// parsing resumes at the next line. Stops after `max_records` + 1 records.
std::vector<Record> Parse(std::string_view text, size_t max_records);

}  // namespace rapport::csv
