// How many terminal columns UTF-8 text takes, for aligning the CLI's tables. A small wcwidth of our
// own: libc's wcwidth depends on the locale, and CI runs with none set.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rapport::cli {

// Columns one code point takes: 2 for East Asian Wide and Fullwidth (CJK, Hangul syllables,
// fullwidth forms, most emoji), 0 for combining marks, zero-width and format characters and
// C0/C1 controls, 1 otherwise. Covers the main ranges, not every Unicode table entry.
int CodePointWidth(char32_t cp);

// Columns `utf8` takes. Never fails: a byte that does not start a valid UTF-8 sequence (stray
// continuation, truncated or overlong sequence, surrogate, beyond U+10FFFF) counts as one column,
// as terminals show it as one replacement character.
size_t DisplayWidth(std::string_view utf8);

// The longest prefix of `utf8` that fits `max_width` columns, cut only between characters; zero-
// width characters that follow the last character kept (its combining accents) stay with it.
std::string_view PrefixWithin(std::string_view utf8, size_t max_width);

// `utf8` itself when it fits `max_width` columns, else its prefix that fits `max_width - 1`
// columns followed by "~". max_width 0 gives "".
std::string FitWidth(std::string_view utf8, size_t max_width);

// `utf8` followed by spaces up to `width` columns (nothing added when it is already as wide).
std::string PadToWidth(std::string_view utf8, size_t width);

}  // namespace rapport::cli
