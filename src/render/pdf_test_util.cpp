#include "pdf_test_util.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <sstream>

namespace rapport::render::testing {

std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  pclose(pipe);
  return out;
}

std::string WithoutSpacesOrBidiMarks(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ' || text[i] == '\n' || text[i] == '\f') continue;
    if (text.compare(i, 2, "\xe2\x80") == 0 && i + 2 < text.size() &&
        ((static_cast<unsigned char>(text[i + 2]) >= 0xaa &&
          static_cast<unsigned char>(text[i + 2]) <= 0xae) ||
         text[i + 2] == '\x8e' || text[i + 2] == '\x8f')) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::string Squeeze(const std::string& text) {
  std::string out;
  for (char ch : text) {
    bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\f';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : ch;
  }
  return out;
}

PdfFile::PdfFile(const boost::json::object& report, Renderer render) {
  auto rendered = RenderPdfToString(report, render);
  EXPECT_TRUE(rendered.ok()) << (rendered.ok() ? "" : rendered.error().message());
  if (rendered.ok()) bytes_ = std::move(*rendered);
  static int counter = 0;
  path_ = std::filesystem::temp_directory_path() / ("rapport_pdf_test_" + std::to_string(getpid()) +
                                                    "_" + std::to_string(++counter) + ".pdf");
  std::ofstream(path_, std::ios::binary) << bytes_;
}

PdfFile::~PdfFile() {
  if (!getenv("RAPPORT_KEEP_TEST_PDFS")) std::filesystem::remove(path_);
}

std::map<std::string, std::string> PdfFile::Info() const {
  std::map<std::string, std::string> out;
  std::istringstream lines(Run("pdfinfo -isodates '" + path_.string() + "' 2>&1"));
  std::string line;
  while (std::getline(lines, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.find_first_not_of(' ', colon + 1);
    out[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
  }
  return out;
}

int PdfFile::Pages() const {
  auto info = Info();
  return info.count("Pages") ? std::stoi(info["Pages"]) : 0;
}

std::string PdfFile::Text(int page, bool layout) const {
  std::string range = page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
  return Run("pdftotext -enc UTF-8" + std::string(layout ? " -layout" : "") + range + " '" +
             path_.string() + "' - 2>&1");
}

}  // namespace rapport::render::testing
