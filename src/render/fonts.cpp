#include "fonts.hpp"

#include "face_file.hpp"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

// After fontconfig.h, which it needs.
#include <fontconfig/fcfreetype.h>

#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <system_error>

namespace rapport::render {
namespace {

// The faces the renderer draws with, by file name, as Debian's fonts-noto-core, fonts-dejavu-core
// and fonts-noto-cjk install them. In the system's order of fallback for "Noto Sans" these come
// first (Noto Sans, then DejaVu Sans), then script fonts, then Noto Sans CJK.
constexpr std::array<const char*, 6> kFaces = {"NotoSans-Regular.ttf",    "NotoSans-Bold.ttf",
                                               "DejaVuSans.ttf",          "DejaVuSans-Bold.ttf",
                                               "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"};

// What the restricted faces draw as the system would (see Drawable); from the system's cached
// font list, built once.
struct Coverage {
  FcCharSet* primary = nullptr;  // Noto Sans, regular and bold
  FcCharSet* symbols = nullptr;  // DejaVu Sans, regular and bold
  FcCharSet* cjk = nullptr;      // Noto Sans CJK, regular and bold
};

int FaceOf(const FcPattern* pattern) {
  FcChar8* file = nullptr;
  if (FcPatternGetString(pattern, FC_FILE, 0, &file) != FcResultMatch) return -1;
  const char* slash = std::strrchr(reinterpret_cast<const char*>(file), '/');
  const char* name = slash ? slash + 1 : reinterpret_cast<const char*>(file);
  for (size_t i = 0; i < kFaces.size(); ++i) {
    if (std::strcmp(name, kFaces[i]) == 0) return static_cast<int>(i);
  }
  return -1;
}

// The characters both of two faces (regular and bold) cover.
FcCharSet* Both(const std::array<FcCharSet*, kFaces.size()>& sets, size_t regular) {
  return FcCharSetIntersect(sets[regular], sets[regular + 1]);
}

// One face per file and index for both restricted sets.
FT_Face SharedFaceWithoutMap(const FcPattern* pattern) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, int>, FT_Face> faces;
  FcChar8* file = nullptr;
  int index = 0;
  FcPatternGetString(pattern, FC_FILE, 0, &file);
  FcPatternGetInteger(pattern, FC_INDEX, 0, &index);
  std::pair<std::string, int> key{file ? reinterpret_cast<const char*>(file) : "", index};
  std::lock_guard lock(mutex);
  auto [it, inserted] = faces.try_emplace(std::move(key), nullptr);
  if (inserted && file) it->second = OpenFaceUnmapped(it->first.first.c_str(), index);
  return it->second;
}

bool IsCjkJpRegular(const FcPattern* pattern) {
  FcChar8* family = nullptr;
  return FaceOf(pattern) == 4 &&
         FcPatternGetString(pattern, FC_FAMILY, 0, &family) == FcResultMatch &&
         std::strcmp(reinterpret_cast<const char*>(family), "Noto Sans CJK JP") == 0;
}

// The faces reports draw with (Noto Sans, DejaVu Sans, Noto Sans CJK JP regular) with patterns
// carrying FreeType faces read as face_file.hpp says; a face that cannot be opened is left to
// cairo.
void ReadWithoutMap(FcFontSet* fonts) {
  for (int i = 0; i < fonts->nfont; ++i) {
    if (FaceOf(fonts->fonts[i]) >= 4 && !IsCjkJpRegular(fonts->fonts[i])) continue;
    FT_Face face = SharedFaceWithoutMap(fonts->fonts[i]);
    if (!face) continue;
    FcPattern* with_face = FcPatternDuplicate(fonts->fonts[i]);
    FcPatternAddFTFace(with_face, FC_FT_FACE, face);
    fonts->fonts[i] = with_face;  // the cached original is kept: the copy shares its charset
  }
}

// A copy of the system's configuration loaded for RestrictedFonts, until a Build takes it.
std::atomic<FcConfig*> spare_config{nullptr};

// The system's configuration (its rules, its cached font list: no font file is scanned) with
// its font set cut down to kFaces, without the CJK faces unless `cjk`; null when one of them is
// not installed. Never freed: pango keeps a reference for the process.
FcConfig* Build(bool cjk) {
  FcConfig* config = spare_config.exchange(nullptr);
  if (!config) config = FcInitLoadConfigAndFonts();
  if (!config) return nullptr;
  FcFontSet* fonts = FcConfigGetFonts(config, FcSetSystem);
  std::array<bool, kFaces.size()> found{};
  int kept = 0;
  for (int i = 0; fonts && i < fonts->nfont; ++i) {
    int face = FaceOf(fonts->fonts[i]);
    if (face < 0) continue;
    found[face] = true;
    if (face < 4 || cjk) std::swap(fonts->fonts[kept++], fonts->fonts[i]);
  }
  if (std::find(found.begin(), found.end(), false) != found.end()) {
    FcConfigDestroy(config);
    return nullptr;
  }
  for (int i = kept; i < fonts->nfont; ++i) FcPatternDestroy(fonts->fonts[i]);
  fonts->nfont = kept;
  ReadWithoutMap(fonts);
  return config;
}

// The faces' coverage, read from a copy of the system's configuration that the first restricted
// set then takes (Build); `ok` false when one of the faces is not installed.
struct Restricted {
  Coverage coverage;
  bool ok = false;
};

// Pango loads the system's default configuration (FcInit, on a thread of its own) and waits for
// it before any font map answers, even one with a configuration of its own: it loads on a helper
// thread while this one loads the restricted fonts' copy. Loaded here when no thread can start.
void LoadSystemConfigMeanwhile() {
  static const std::future<void> loading = []() -> std::future<void> {
    try {
      return std::async(std::launch::async, [] { FcInit(); });
    } catch (const std::system_error&) {
      FcInit();
      return {};
    }
  }();
}

const Restricted& RestrictedFonts() {
  LoadSystemConfigMeanwhile();
  static const Restricted restricted = [] {
    Restricted r;
    FcConfig* config = FcInitLoadConfigAndFonts();
    FcFontSet* fonts = config ? FcConfigGetFonts(config, FcSetSystem) : nullptr;
    std::array<FcCharSet*, kFaces.size()> sets{};
    for (int i = 0; fonts && i < fonts->nfont; ++i) {
      int face = FaceOf(fonts->fonts[i]);
      if (face >= 0 && !sets[face]) {
        FcPatternGetCharSet(fonts->fonts[i], FC_CHARSET, 0, &sets[face]);
      }
    }
    r.ok = std::find(sets.begin(), sets.end(), nullptr) == sets.end();
    if (r.ok) {
      r.coverage = Coverage{Both(sets, 0), Both(sets, 2), Both(sets, 4)};  // copies
      spare_config.store(config);
    } else if (config) {
      FcConfigDestroy(config);
    }
    return r;
  }();
  return restricted;
}

// Each built on the first report that needs it: opening the CJK face costs ~2 ms and ~2 MB.
FcConfig* RestrictedLatinFonts() {
  static FcConfig* const config = RestrictedFonts().ok ? Build(false) : nullptr;
  return config;
}

FcConfig* RestrictedCjkFonts() {
  static FcConfig* const config = RestrictedFonts().ok ? Build(true) : nullptr;
  return config;
}

// Scripts no face between DejaVu Sans and Noto Sans CJK in the system's fallback order covers:
// kana, the ideographs, hangul.
bool IsCjk(char32_t c) {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
         (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
         (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff);
}

// Whether the restricted faces draw `c` as the system's would; `cjk` is set when it takes a
// CJK face.
bool Drawable(char32_t c, const Coverage& r, bool& cjk) {
  if (c < 0x20) return true;  // controls: no face draws them
  if (FcCharSetHasChar(r.primary, c) || FcCharSetHasChar(r.symbols, c)) return true;
  if (!IsCjk(c) || !FcCharSetHasChar(r.cjk, c)) return false;
  cjk = true;
  return true;
}

// False when `text` is not valid UTF-8 or holds a character the restricted faces do not draw
// as the system's would.
bool Covers(std::string_view text, const Coverage& r, bool& cjk) {
  for (size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    int length = byte < 0x80         ? 1
                 : (byte >> 5) == 6  ? 2
                 : (byte >> 4) == 14 ? 3
                 : (byte >> 3) == 30 ? 4
                                     : 0;
    if (length == 0 || i + length > text.size()) return false;
    if (length == 1) {
      if (byte >= 0x20) {
        ++i;
        continue;
      }
    }
    char32_t c = length == 1 ? byte : byte & (0x7f >> length);
    for (int k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 2) return false;
      c = (c << 6) | (next & 0x3f);
    }
    if (!Drawable(c, r, cjk)) return false;
    i += length;
  }
  return true;
}

bool CoversValue(const boost::json::value& v, const Coverage& r, bool& cjk) {
  if (v.is_string()) return Covers(v.get_string(), r, cjk);
  if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!CoversValue(item, r, cjk)) return false;
    }
  } else if (v.is_object()) {
    for (const auto& member : v.get_object()) {
      if (!CoversValue(member.value(), r, cjk)) return false;
    }
  }
  return true;
}

// A font map over `config`'s faces, released when its thread ends.
struct ThreadFontMap {
  PangoFontMap* map = nullptr;
  explicit ThreadFontMap(FcConfig* config) {
    if (!config) return;
    map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (map) pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), config);
  }
  ~ThreadFontMap() {
    if (map) g_object_unref(map);
  }
  ThreadFontMap(const ThreadFontMap&) = delete;
  ThreadFontMap& operator=(const ThreadFontMap&) = delete;
};

}  // namespace

FontSet FontsFor(const boost::json::object& report, std::string_view extra) {
  const Restricted& r = RestrictedFonts();
  bool cjk = false;
  if (!r.ok || !Covers(extra, r.coverage, cjk)) return FontSet::kSystem;
  for (const auto& member : report) {
    if (!CoversValue(member.value(), r.coverage, cjk)) return FontSet::kSystem;
  }
  return cjk ? FontSet::kRestrictedCjk : FontSet::kRestricted;
}

PangoFontMap* FontMapForThread(FontSet set) {
  PangoFontMap* map = nullptr;
  if (set == FontSet::kRestricted) {
    thread_local ThreadFontMap latin(RestrictedLatinFonts());
    map = latin.map;
  } else if (set == FontSet::kRestrictedCjk) {
    thread_local ThreadFontMap cjk(RestrictedCjkFonts());
    map = cjk.map;
  }
  return map ? map : pango_cairo_font_map_get_default();
}

}  // namespace rapport::render
