// libFuzzer target: a tenant's logo as PATCH /v1/white-label receives it. The SVG sanitiser must
// never crash, and what it accepts must come out without anything off its list (no script, no
// event handler, no external reference) and be a fixed point (sanitising it again changes
// nothing); the PNG header check and the base64 decoder must never crash. Any crash, sanitizer
// report or abort is a finding.
#include "logo_check.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using rapport::api::DecodeBase64;
using rapport::api::PngProblem;
using rapport::api::SanitizeSvg;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

void CheckSvg(std::string_view bytes) {
  auto once = SanitizeSvg(bytes);
  if (!once.problem.empty()) return;
  std::string lower = Lower(once.svg);
  for (std::string_view banned : {"<script", "<foreignobject", " on", "javascript:", "<!doctype",
                                  "<!entity", "@import", "href=\"h"}) {
    if (lower.find(banned) != std::string::npos) std::abort();
  }
  auto twice = SanitizeSvg(once.svg);
  if (!twice.problem.empty() || twice.svg != once.svg) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckSvg(input);
  (void)PngProblem(input);
  (void)DecodeBase64(input);
  return 0;
}
