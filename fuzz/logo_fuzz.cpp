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

// Style text as a browser's CSS tokenizer sees it for @import and url(: lower case, no
// whitespace. Style may not import or fetch anything (a url( inside any other attribute must be
// local, which the sanitiser checks by the same rule).
void CheckStyle(std::string_view css) {
  std::string squeezed;
  for (char c : Lower(css)) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') squeezed += c;
  }
  for (std::string_view banned : {"@import", "url(", "expression(", "javascript:"}) {
    if (squeezed.find(banned) != std::string::npos) std::abort();
  }
}

// The sanitiser writes `<name a="v" …>` with '<', '>' and '"' escaped inside values and text,
// so the attributes of every tag can be read back plainly: none may be an event handler, an
// href must be local, and a style attribute is style text.
void CheckAttributes(const std::string& svg) {
  for (size_t open = svg.find('<'); open != std::string::npos; open = svg.find('<', open + 1)) {
    size_t close = svg.find('>', open);
    if (close == std::string::npos) std::abort();
    std::string tag = Lower(std::string_view(svg).substr(open, close - open));
    for (size_t eq = tag.find("=\""); eq != std::string::npos; eq = tag.find("=\"", eq + 2)) {
      size_t name = tag.rfind(' ', eq) + 1;
      std::string attribute = tag.substr(name, eq - name);
      if (attribute.rfind("on", 0) == 0) std::abort();
      if (attribute == "href" && tag.compare(eq + 2, 1, "#") != 0) std::abort();
      size_t end = tag.find('"', eq + 2);
      if (end == std::string::npos) std::abort();
      if (attribute == "style") CheckStyle(std::string_view(tag).substr(eq + 2, end - eq - 2));
      eq = end;
    }
  }
}

void CheckSvg(std::string_view bytes) {
  auto once = SanitizeSvg(bytes);
  if (!once.problem.empty()) return;
  std::string lower = Lower(once.svg);
  for (std::string_view banned : {"<script", "<foreignobject", "<!doctype", "<!entity"}) {
    if (lower.find(banned) != std::string::npos) std::abort();
  }
  // "@import" in a <text> or a fill is only words; inside a <style> element it is CSS.
  for (size_t open = lower.find("<style"); open != std::string::npos;
       open = lower.find("<style", open + 1)) {
    size_t body = lower.find('>', open);
    size_t close = lower.find("</style>", open);
    if (body == std::string::npos || close == std::string::npos || close < body) std::abort();
    CheckStyle(std::string_view(lower).substr(body + 1, close - body - 1));
  }
  CheckAttributes(once.svg);
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
