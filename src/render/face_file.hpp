// FreeType faces the restricted font maps (fonts.hpp) hand to cairo instead of letting cairo open
// (and memory-map) the font files itself.
//
// Read with pread, a face's bytes are not left resident in the process once used. Small reads
// (FreeType reads a glyph's metrics two bytes at a time, thousands of times for a report's first
// page) go through a small cache of file blocks, so they cost a copy, not a system call each.
//
// A large CFF table (Noto Sans CJK's is 15 MB) is never copied whole: cairo asks for the whole
// table twice per PDF (once to see whether the font is CID-keyed, once to subset it), each a
// 15 MB copy into fresh memory that took ~20 % of a report's rendering time and its memory peak.
// That one read is refused: cairo then embeds the glyphs a document uses from their outlines
// (its CFF fallback, the path it takes for any font it cannot subset), which draws the same
// shapes under a generic name ("CairoFont-N-M") instead of the face's.
#pragma once

// As <freetype/freetype.h> declares it.
using FT_Face = struct FT_FaceRec_*;

namespace rapport::render {

// Face `index` of the font file `path`, read as described above; null when it cannot be opened.
// The face is never closed. Like any FreeType face, it must be used by one thread at a time
// (cairo locks it around every use); the block cache is locked on its own.
FT_Face OpenFaceUnmapped(const char* path, int index);

}  // namespace rapport::render
