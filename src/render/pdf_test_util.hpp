// Test helper: renders a report to a temporary PDF file and reads it back with poppler's
// command-line tools (pdfinfo, pdftotext), as a person's PDF viewer would.
#pragma once

#include <rapport/render/pdf.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace rapport::render::testing {

class PdfFile {
 public:
  using Renderer = Status (*)(const boost::json::object&, const PdfSink&);
  PdfFile(const boost::json::object& report, Renderer render);
  ~PdfFile();
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;

  const std::string& bytes() const { return bytes_; }
  const std::filesystem::path& path() const { return path_; }
  // pdfinfo's fields ("Pages", "Title", "Author", "CreationDate", ...).
  std::map<std::string, std::string> Info() const;
  int Pages() const;
  // pdftotext of page `page` (1-based), or of the whole document when 0; `layout` keeps columns.
  std::string Text(int page = 0, bool layout = false) const;

 private:
  std::string bytes_;
  std::filesystem::path path_;
};

// poppler extracts right-to-left runs in logical order between embedding marks (U+202A..U+202E)
// and guesses word gaps from glyph positions, which splits some RTL words: compare without both.
std::string WithoutSpacesOrBidiMarks(const std::string& text);

// `text` with every run of whitespace collapsed to one space, so that table cells extracted by
// pdftotext -layout read "cell cell cell".
std::string Squeeze(const std::string& text);

// Output of a shell command.
std::string Run(const std::string& command);

}  // namespace rapport::render::testing
