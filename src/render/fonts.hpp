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

// True when every character of the report's strings and of `extra` (e.g. the branding's name) is
// drawn by the restricted faces just as the system's font set draws it (see above); false also
// when those faces are not installed.
bool RestrictedFontsCover(const boost::json::object& report, std::string_view extra);

// This thread's font map: the restricted one when `restricted`, else pango's default (the
// system's fonts). Owned by the thread; valid while it lives.
PangoFontMap* FontMapForThread(bool restricted);

}  // namespace rapport::render
