// The fonts reports are laid out with. The system's font set (fonts-noto-core alone is ~300 faces)
// makes a fresh process pay for fontconfig sorting every face for each font description a report
// uses. Most reports only need the few faces the renderer draws with: Noto Sans, DejaVu Sans (the
// system's first fallback, e.g. for ✓ and ✗) and Noto Sans CJK. For those, a font map over just
// these faces (the same faces, the same fontconfig rules, built once per process from the
// system's font caches) draws exactly what the system's would, at a fraction of the set-up cost.
// A report with a character that another system face would draw gets the system's font map.
#pragma once

#include <rapport/render/pdf.hpp>

#include <boost/json/object.hpp>

#include <string_view>

using PangoFontMap = struct _PangoFontMap;

namespace rapport::render {

// The faces a report is laid out with.
enum class FontSet {
  kSystem,         // all the system's
  kRestricted,     // Noto Sans and DejaVu Sans
  kRestrictedCjk,  // those and Noto Sans CJK
};

// The smallest restricted set that draws every character of the report's strings and of `extra`
// (e.g. the branding's name) just as the system's font set draws it (see above); kSystem when
// none does or when the faces are not installed.
FontSet FontsFor(const boost::json::object& report, std::string_view extra);

// This thread's font map for `set` (kSystem: pango's default). Owned by the thread; valid while
// it lives.
PangoFontMap* FontMapForThread(FontSet set);

}  // namespace rapport::render
